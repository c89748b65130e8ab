package dev.sluice.notify.api.sns;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.query.QueryParameters;
import dev.sluice.clientsdk.query.XmlWriter;
import dev.sluice.notify.service.NotifyService;
import dev.sluice.notify.service.PublishActions;
import dev.sluice.notify.service.SubscriptionActions;
import dev.sluice.notify.core.Caller;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SNS Query exchange: the action's parameters to a {@link NotifyService} call, its result or error to
 * SNS XML. Never throws; every failure becomes an {@code ErrorResponse}. Thread-safe.
 */
public final class SnsEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SnsEndpoint.class);
    public static final String API_VERSION = "2010-03-31";
    /** Every SNS action this endpoint knows; none is an SQS action name. */
    public static final Set<String> ACTIONS = Set.of("CreateTopic", "DeleteTopic", "ListTopics", "GetTopicAttributes",
            "SetTopicAttributes", "Subscribe", "ConfirmSubscription", "Unsubscribe", "ListSubscriptions",
            "ListSubscriptionsByTopic", "GetSubscriptionAttributes", "SetSubscriptionAttributes", "Publish",
            "PublishBatch", "TagResource", "UntagResource", "ListTagsForResource");

    /** The topic-scoped actions a topic's Policy governs, with the parameter naming the topic. */
    private static final Map<String, String> TOPIC_PARAMETER = Map.ofEntries(Map.entry("Publish", "TopicArn"),
            Map.entry("PublishBatch", "TopicArn"), Map.entry("Subscribe", "TopicArn"),
            Map.entry("GetTopicAttributes", "TopicArn"), Map.entry("SetTopicAttributes", "TopicArn"),
            Map.entry("DeleteTopic", "TopicArn"), Map.entry("ListSubscriptionsByTopic", "TopicArn"),
            Map.entry("TagResource", "ResourceArn"), Map.entry("UntagResource", "ResourceArn"),
            Map.entry("ListTagsForResource", "ResourceArn"));

    private final NotifyService service;
    private final Supplier<String> requestIds;

    public SnsEndpoint(NotifyService service, Supplier<String> requestIds) {
        this.service = service;
        this.requestIds = requestIds;
    }

    /**
     * True for requests meant for SNS: an SNS action name, SNS's API version, or a SigV4 credential scoped
     * to the {@code sns} service. SQS requests have none of these.
     */
    public static boolean isSnsRequest(QueryParameters parameters, String authorization) {
        String action = parameters.string("Action");
        return (action != null && ACTIONS.contains(action)) || API_VERSION.equals(parameters.string("Version"))
                || (authorization != null && authorization.contains("/sns/aws4_request"));
    }

    /**
     * True for a raw form or query string (not decoded: it may be undecodable) that carries SNS's API version or
     * an SNS action as a plain {@code name=value} pair.
     */
    public static boolean isSnsForm(String raw) {
        if (raw == null || raw.isEmpty()) {
            return false;
        }
        for (String pair : raw.split("&", 1000)) {
            if (pair.equals("Version=" + API_VERSION)
                    || (pair.startsWith("Action=") && ACTIONS.contains(pair.substring("Action=".length())))) {
                return true;
            }
        }
        return false;
    }

    /** The SNS error answer for a request whose parameters could not be read. */
    public SnsHttpResponse refuse(RuntimeException failure) {
        return error(failure, requestIds.get());
    }

    /** As {@link #handle(QueryParameters, Caller)} for an anonymous caller of unknown address. */
    public CompletableFuture<SnsHttpResponse> handle(QueryParameters in) {
        return handle(in, Caller.anonymous(null));
    }

    /**
     * Performs one action for {@code caller}; topic-scoped actions first pass the topic's policy
     * ({@link dev.sluice.notify.service.TopicAuthorizer}).
     */
    public CompletableFuture<SnsHttpResponse> handle(QueryParameters in, Caller caller) {
        String requestId = requestIds.get();
        String action = in.string("Action");
        CompletableFuture<SnsHttpResponse> answer;
        try {
            String topicParameter = action == null ? null : TOPIC_PARAMETER.get(action);
            if (caller.link() && "Unsubscribe".equals(action)) {
                answer = service.subscriptions().unsubscribeByLink(in.string("SubscriptionArn"), in.string("Token"))
                        .thenApply(done -> ok(action, requestId, null));
            } else if (topicParameter == null) {
                answer = dispatch(action, in, requestId, caller);
            } else {
                String topicArn = in.string(topicParameter) != null || !action.equals("Publish")
                        ? in.string(topicParameter) : in.string("TargetArn");
                answer = service.authorizer().authorize(caller, action, topicArn)
                        .thenCompose(allowed -> dispatch(action, in, requestId, caller))
                        .whenComplete((done, failure) -> {
                            if (action.equals("SetTopicAttributes") || action.equals("DeleteTopic")) {
                                service.authorizer().forget(topicArn);
                            }
                        });
            }
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(failure -> error(failure, requestId));
    }

    private CompletableFuture<SnsHttpResponse> dispatch(String action, QueryParameters in, String requestId,
            Caller caller) {
        if (action == null || action.isEmpty()) {
            throw SnsError.MISSING_ACTION.exception("Missing Action");
        }
        switch (action) {
            case "CreateTopic":
                return service.topics().createTopic(service.accountOf(caller), in.string("Name"), in.map("Attributes.entry", "key", "value"),
                        in.map("Tags.member", "Key", "Value")).thenApply(arn -> ok(action, requestId,
                        xml -> xml.element("TopicArn", arn)));
            case "DeleteTopic":
                return service.topics().deleteTopic(in.string("TopicArn")).thenApply(done -> ok(action, requestId, null));
            case "ListTopics":
                return service.topics().listTopics(service.accountOf(caller), in.string("NextToken")).thenApply(page -> ok(action, requestId, xml -> {
                    xml.open("Topics");
                    page.items().forEach(arn -> xml.open("member").element("TopicArn", arn).close("member"));
                    xml.close("Topics").element("NextToken", page.nextToken());
                }));
            case "GetTopicAttributes":
                return service.topics().getTopicAttributes(in.string("TopicArn")).thenApply(attributes ->
                        ok(action, requestId, xml -> SnsXml.attributes(xml, attributes)));
            case "SetTopicAttributes":
                return service.topics().setTopicAttributes(in.string("TopicArn"), in.string("AttributeName"),
                        in.string("AttributeValue")).thenApply(done -> ok(action, requestId, null));
            case "Subscribe":
                return service.subscriptions().subscribe(caller, in.string("TopicArn"), in.string("Protocol"),
                        in.string("Endpoint"), in.map("Attributes.entry", "key", "value"),
                        "true".equalsIgnoreCase(in.string("ReturnSubscriptionArn")))
                        .thenApply(arn -> ok(action, requestId, xml -> xml.element("SubscriptionArn", arn)));
            case "ConfirmSubscription":
                return service.subscriptions().confirmSubscription(in.string("TopicArn"), in.string("Token"))
                        .thenApply(arn -> ok(action, requestId, xml -> xml.element("SubscriptionArn", arn)));
            case "Unsubscribe":
                return service.subscriptions().unsubscribe(caller, in.string("SubscriptionArn"))
                        .thenApply(done -> ok(action, requestId, null));
            case "ListSubscriptions":
                return service.subscriptions().listSubscriptions(caller, in.string("NextToken"))
                        .thenApply(page -> ok(action, requestId, xml -> subscriptions(xml, page.items(), page.nextToken())));
            case "ListSubscriptionsByTopic":
                return service.subscriptions().listSubscriptionsByTopic(in.string("TopicArn"), in.string("NextToken"))
                        .thenApply(page -> ok(action, requestId, xml -> subscriptions(xml, page.items(), page.nextToken())));
            case "GetSubscriptionAttributes":
                return service.subscriptions().getSubscriptionAttributes(caller, in.string("SubscriptionArn"))
                        .thenApply(attributes -> ok(action, requestId, xml -> SnsXml.attributes(xml, attributes)));
            case "SetSubscriptionAttributes":
                return service.subscriptions().setSubscriptionAttributes(caller, in.string("SubscriptionArn"),
                        in.string("AttributeName"), in.string("AttributeValue"))
                        .thenApply(done -> ok(action, requestId, null));
            case "Publish":
                return publish(in, requestId);
            case "PublishBatch":
                return publishBatch(in, requestId);
            case "TagResource":
                return service.topics().tagResource(in.string("ResourceArn"), in.map("Tags.member", "Key", "Value"))
                        .thenApply(done -> ok(action, requestId, xml -> { }));
            case "UntagResource":
                return service.topics().untagResource(in.string("ResourceArn"), in.list("TagKeys.member"))
                        .thenApply(done -> ok(action, requestId, xml -> { }));
            case "ListTagsForResource":
                return service.topics().listTagsForResource(in.string("ResourceArn")).thenApply(tags ->
                        ok(action, requestId, xml -> {
                            xml.open("Tags");
                            tags.forEach((key, value) -> xml.open("member").element("Key", key).element("Value", value)
                                    .close("member"));
                            xml.close("Tags");
                        }));
            default:
                throw SnsError.INVALID_ACTION.exception("Unrecognized action: "
                        + dev.sluice.notify.core.AttributeLimits.shown(action));
        }
    }

    private CompletableFuture<SnsHttpResponse> publish(QueryParameters in, String requestId) {
        if (in.string("PhoneNumber") != null) {
            throw SnsError.invalidParameter("PhoneNumber Reason: SMS is not supported");
        }
        String target = in.string("TopicArn") != null ? in.string("TopicArn") : in.string("TargetArn");
        return service.publishing().publish(target, entry(in, null)).thenApply(published ->
                ok("Publish", requestId, xml -> xml.element("MessageId", published.messageId())
                        .element("SequenceNumber", published.sequenceNumber())));
    }

    private CompletableFuture<SnsHttpResponse> publishBatch(QueryParameters in, String requestId) {
        List<PublishActions.Entry> entries = in.entries("PublishBatchRequestEntries.member",
                entry -> entry(entry, entry.string("Id")));
        return service.publishing().publishBatch(in.string("TopicArn"), entries).thenApply(result ->
                ok("PublishBatch", requestId, xml -> {
                    xml.open("Successful");
                    result.successful().forEach(success -> xml.open("member").element("Id", success.id())
                            .element("MessageId", success.messageId()).element("SequenceNumber", success.sequenceNumber())
                            .close("member"));
                    xml.close("Successful").open("Failed");
                    result.failed().forEach(failed -> xml.open("member").element("Id", failed.id())
                            .element("Code", failed.code()).element("Message", failed.message())
                            .element("SenderFault", failed.senderFault()).close("member"));
                    xml.close("Failed");
                }));
    }

    private static PublishActions.Entry entry(QueryParameters in, String id) {
        return new PublishActions.Entry(id, in.string("Message"), in.string("Subject"), in.string("MessageStructure"),
                in.messageAttributes("MessageAttributes.entry"), in.string("MessageGroupId"),
                in.string("MessageDeduplicationId"));
    }

    private static void subscriptions(XmlWriter xml, List<SubscriptionActions.Summary> rows, String nextToken) {
        xml.open("Subscriptions");
        rows.forEach(row -> xml.open("member").element("TopicArn", row.topicArn()).element("Protocol", row.protocol())
                .element("SubscriptionArn", row.subscriptionArn()).element("Owner", row.owner())
                .element("Endpoint", row.endpoint()).close("member"));
        xml.close("Subscriptions").element("NextToken", nextToken);
    }

    private static SnsHttpResponse ok(String action, String requestId, Consumer<XmlWriter> result) {
        return SnsXml.success(action, requestId, result);
    }

    /** An SNS {@code ErrorResponse} for a failure found before an action ran (e.g. by authentication). */
    public static SnsHttpResponse errorResponse(SnsError error, String message, String requestId) {
        return SnsXml.error(error, message, requestId);
    }

    private static SnsHttpResponse error(Throwable failure, String requestId) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SnsException sns) {
            return SnsXml.error(sns.error(), sns.getMessage(), requestId);
        }
        if (dev.sluice.notify.service.Overload.isThrottled(cause)) {
            return SnsXml.error(SnsError.THROTTLED, null, requestId);
        }
        if (dev.sluice.notify.service.Overload.isUnavailable(cause)) {
            return SnsXml.error(SnsError.SERVICE_UNAVAILABLE, null, requestId);
        }
        SnsError readerError = cause instanceof SqsException sqs ? parameterReaderError(sqs.error()) : null;
        if (readerError != null) {
            return SnsXml.error(readerError, cause.getMessage(), requestId);
        }
        LOG.warn("SNS request failed unexpectedly", cause);
        return SnsXml.error(SnsError.INTERNAL_ERROR, null, requestId);
    }

    /**
     * Malformed Query input (percent-encoding, UTF-8, base64, a parameter given twice) is reported by the shared
     * parameter reader in SQS's terms: SNS's own code for each, or null for anything else.
     */
    private static SnsError parameterReaderError(dev.sluice.clientsdk.SqsError error) {
        return switch (error) {
            case MALFORMED_QUERY_STRING -> SnsError.MALFORMED_QUERY_STRING;
            case INVALID_QUERY_PARAMETER -> SnsError.INVALID_QUERY_PARAMETER;
            case INVALID_PARAMETER_VALUE -> SnsError.INVALID_PARAMETER_VALUE;
            default -> null;
        };
    }
}
