package dev.sluice.broker.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.broker.api.rest.RestOperation.Parameter;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.json.JsonBodyReader;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.notify.core.Caller;
import dev.sluice.notify.core.TopicArn;
import dev.sluice.notify.service.NotificationCounts;
import dev.sluice.notify.service.NotifyService;
import dev.sluice.notify.service.PublishActions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code /v1/topics}: topics and their subscriptions through the same actions (and the same topic-policy checks) as
 * the SNS API — list, create, attributes (policy included), delete; subscriptions with their status (pending
 * confirmation, confirmed, failing with the last error), subscribe, unsubscribe; publish a message with attributes.
 * What the console's topic page reads and does. Errors carry the SNS error codes.
 */
public final class TopicCatalogResource implements RestResource {
    private static final JsonBodyReader READER = new JsonBodyReader(SnsError::invalidParameter);
    private static final String TOPIC_ERRORS = "InvalidParameter";
    private static final java.util.regex.Pattern ACCOUNT = java.util.regex.Pattern.compile("[0-9]{12}");
    /** Every topic operation's optional {@code ?account=}. */
    private static final Parameter ACCOUNT_PARAMETER = Parameter.query("account", "string",
            "the 12-digit account whose topic this is (default: the caller's); for an operator, or a topic whose Policy "
                    + "allows the caller");

    /** This node's failing subscriptions, which the node serving the topic page asks every other node for. */
    public static final String FAILURES_NODE_PATH = "/subscription-failures/node";

    private final NotifyService notify;
    private final String region;
    private final String accountId;
    private final TopicCounts counts;
    private final SubscriptionFailures failures;

    /** With this node's counts and failures only (a single node). */
    public TopicCatalogResource(NotifyService notify, String region, String accountId) {
        this(notify, region, accountId, topic -> CompletableFuture.completedFuture(new TopicCounts.Answer(
                TopicCounts.ofTopic(notify.deliveryHealth().counts().snapshot(), topic), List.of())), SubscriptionFailures.NONE);
    }

    /**
     * @param counts a topic's publish and delivery counts (on a cluster: summed over the nodes)
     * @param failures the subscriptions other nodes fail to deliver to (on a cluster)
     */
    public TopicCatalogResource(NotifyService notify, String region, String accountId, TopicCounts counts,
            SubscriptionFailures failures) {
        this.notify = notify;
        this.region = region;
        this.accountId = accountId;
        this.counts = counts;
        this.failures = failures;
    }

    @Override
    public String tag() {
        return "topics";
    }

    @Override
    public List<RestOperation> operations() {
        String subscription = "{subscriptionArn, protocol, endpoint, status: PendingConfirmation|Confirmed|Failing, "
                + "lastDeliveryError, lastDeliveryErrorAt, failingSince, failedAttempts, attributes}";
        return List.of(
                new RestOperation("GET", "/topics", "listTopics", "Lists topics (a page of 100) with their account and attributes",
                        List.of(Parameter.query("nextToken", "string", "the previous page's nextToken"),
                                Parameter.query("account", "string", "the 12-digit account whose topics to list (default: "
                                        + "the caller's; an operator's: every account's)")), null,
                        Map.of(200, "{topics: [{name, arn, attributes}], nextToken}", 400, TOPIC_ERRORS), this::list),
                new RestOperation("PUT", "/topics/{name}", "createTopic",
                        "Creates a topic, or answers the existing one with the same attributes", List.of(ACCOUNT_PARAMETER),
                        new Body("application/json", "optional {attributes: {SNS attribute: value}, tags: {...}}", false),
                        Map.of(200, "{name, arn}", 400, TOPIC_ERRORS), this::create),
                new RestOperation("GET", "/topics/{name}", "getTopic",
                        "A topic's attributes, and what this node published and delivered for it since it started",
                        List.of(ACCOUNT_PARAMETER), null, Map.of(200, "{name, arn, attributes, counts: {kind: {protocol: count}} summed over the nodes, "
                                + "countsMissingFrom: [node id]}",
                                404, "NotFound"), this::get),
                new RestOperation("PATCH", "/topics/{name}/attributes", "setTopicAttributes",
                        "Sets the given topic attributes (Policy, DisplayName, DeliveryPolicy, ...), one after the other",
                        List.of(ACCOUNT_PARAMETER), new Body("application/json", "{attributes: {SNS attribute: value}}", true),
                        Map.of(204, "set", 400, TOPIC_ERRORS, 404, "NotFound"), this::setAttributes),
                new RestOperation("DELETE", "/topics/{name}", "deleteTopic", "Deletes a topic and its subscriptions",
                        List.of(ACCOUNT_PARAMETER), null, Map.of(204, "deleted"), this::delete),
                new RestOperation("GET", "/topics/{name}/subscriptions", "listTopicSubscriptions",
                        "Every subscription of the topic with its attributes and status, pending ones included",
                        List.of(ACCOUNT_PARAMETER), null, Map.of(200, "{subscriptions: [" + subscription + "]}", 404, "NotFound"),
                        this::subscriptions),
                new RestOperation("POST", "/topics/{name}/subscriptions", "subscribe",
                        "Subscribes an endpoint (an SQS queue ARN, a URL, an email address, a function ARN)", List.of(ACCOUNT_PARAMETER),
                        new Body("application/json", "{protocol, endpoint, attributes: {FilterPolicy, RawMessageDelivery, ...}}", true),
                        Map.of(200, "{subscriptionArn}", 400, TOPIC_ERRORS, 404, "NotFound"), this::subscribe),
                new RestOperation("DELETE", "/topics/{name}/subscriptions/{id}", "unsubscribe", "Removes a subscription",
                        List.of(ACCOUNT_PARAMETER), null, Map.of(204, "removed", 404, "NotFound"), this::unsubscribe),
                new RestOperation("GET", FAILURES_NODE_PATH, "getNodeSubscriptionFailures",
                        "The subscriptions this node failed to deliver to whose retry is not yet overdue", List.of(), null,
                        Map.of(200, "{Failures: {subscription id: {Topic, Protocol, Reason, Since, Last, Attempts}}}"),
                        this::nodeFailures),
                new RestOperation("POST", "/topics/{name}/publish", "publishMessage",
                        "Publishes a message with subject, attributes and (FIFO topics) group and deduplication id",
                        List.of(ACCOUNT_PARAMETER), new Body("application/json", "{message, subject, messageAttributes: {name: {dataType, "
                                + "stringValue}}, messageGroupId, messageDeduplicationId}", true),
                        Map.of(200, "{messageId, sequenceNumber}", 400, TOPIC_ERRORS, 404, "NotFound"), this::publish));
    }

    /**
     * The account whose topics a request names: {@code ?account=} when given (an operator's console reaches every
     * account's topics; anyone else reaches only what the topic's Policy allows, as through SNS), else the caller's.
     */
    private String account(RestRequest request) {
        String given = request.query("account");
        if (given == null) {
            return notify.accountOf(request.caller());
        }
        if (!ACCOUNT.matcher(given).matches()) {
            throw SnsError.invalidParameter("account: an account id is 12 digits");
        }
        return given;
    }

    /** The ARN of the topic the path names, in the request's {@link #account}. */
    private String arn(RestRequest request) {
        return "arn:aws:sns:" + region + ":" + account(request) + ":" + request.path("name");
    }

    /** The topic's key in the counts ({@link TopicArn#qualifiedName}): its name within its account. */
    private String countsKey(RestRequest request) {
        return TopicArn.qualifiedName(account(request), request.path("name"), accountId);
    }

    private CompletableFuture<Void> allowed(RestRequest request, String action) {
        return notify.authorizer().authorize(request.caller(), action, arn(request));
    }

    /**
     * The caller's topics; an operator's without {@code ?account=}: every account's. Listing another account's is an
     * operator's only (ListTopics acts in the caller's account).
     */
    private CompletableFuture<RestResponse> list(RestRequest request) {
        Caller caller = request.caller();
        boolean operator = notify.operator(caller);
        String account = account(request);
        if (!operator && !account.equals(notify.accountOf(caller))) {
            throw SnsError.AUTHORIZATION_ERROR.exception("Only an operator lists another account's topics");
        }
        CompletableFuture<dev.sluice.notify.service.Page<String>> listed = operator && request.query("account") == null
                ? notify.topics().listAllTopics(request.query("nextToken"))
                : notify.topics().listTopics(account, request.query("nextToken"));
        return listed.thenCompose(page -> {
            List<CompletableFuture<Map<String, Object>>> views = new ArrayList<>();
            for (String topicArn : page.items()) {
                String name = topicArn.substring(topicArn.lastIndexOf(':') + 1);
                // A topic whose policy hides its attributes from the caller, or deleted meanwhile, is listed by name.
                views.add(notify.authorizer().authorize(caller, "GetTopicAttributes", topicArn)
                        .thenCompose(allowed -> notify.topics().getTopicAttributes(topicArn))
                        .handle((attributes, failure) -> view(name, topicArn, failure == null ? attributes : Map.of())));
            }
            return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(done -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("topics", views.stream().map(CompletableFuture::join).toList());
                body.put("nextToken", page.nextToken());
                return RestResponse.json(200, body);
            });
        });
    }

    /** An object of strings; empty when absent. */
    private static Map<String, String> stringMap(JsonNode root, String field) {
        Map<String, String> map = READER.stringMap(root, field, field);
        return map == null ? Map.of() : map;
    }

    private static Map<String, Object> view(String name, String arn, Map<String, String> attributes) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("account", TopicArn.parse(arn).map(TopicArn::accountId).orElse(null));
        view.put("arn", arn);
        view.put("attributes", attributes);
        return view;
    }

    private CompletableFuture<RestResponse> create(RestRequest request) {
        JsonNode root = READER.object(request.body(), Set.of("attributes", "tags"));
        String name = request.path("name");
        String account = account(request);
        if (!account.equals(notify.accountOf(request.caller())) && !notify.operator(request.caller())) {
            throw SnsError.AUTHORIZATION_ERROR.exception("Only an operator creates topics in another account");
        }
        return notify.topics().createTopic(account, name, stringMap(root, "attributes"), stringMap(root, "tags")).thenApply(topicArn -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("name", name);
                    body.put("arn", topicArn);
                    return RestResponse.json(200, body);
                });
    }

    private CompletableFuture<RestResponse> get(RestRequest request) {
        String name = request.path("name");
        return allowed(request, "GetTopicAttributes").thenCompose(ok -> notify.topics().getTopicAttributes(arn(request)))
                .thenCompose(attributes -> counts.of(countsKey(request)).thenApply(counted -> {
                    Map<String, Object> body = view(name, arn(request), attributes);
                    SortedMap<String, SortedMap<String, Long>> all = counted.counts();
                    for (NotificationCounts.Kind kind : NotificationCounts.Kind.values()) {
                        all.putIfAbsent(kind.name(), new TreeMap<>());
                    }
                    body.put("counts", all);
                    body.put("countsMissingFrom", counted.unansweredNodes());
                    return RestResponse.json(200, body);
                }));
    }

    private CompletableFuture<RestResponse> setAttributes(RestRequest request) {
        JsonNode root = READER.object(request.body(), Set.of("attributes"));
        Map<String, String> attributes = stringMap(root, "attributes");
        String topicArn = arn(request);
        CompletableFuture<Void> done = allowed(request, "SetTopicAttributes");
        for (Map.Entry<String, String> attribute : new TreeMap<>(attributes).entrySet()) {
            done = done.thenCompose(previous -> notify.topics().setTopicAttributes(topicArn, attribute.getKey(),
                    attribute.getValue()));
        }
        // A new Policy must take effect at once for the next request, as SetTopicAttributes through SNS does.
        return done.whenComplete((ignored, failure) -> notify.authorizer().forget(topicArn))
                .thenApply(ignored -> RestResponse.noContent());
    }

    private CompletableFuture<RestResponse> delete(RestRequest request) {
        String topicArn = arn(request);
        return allowed(request, "DeleteTopic").thenCompose(ok -> notify.topics().deleteTopic(topicArn))
                .whenComplete((ignored, failure) -> notify.authorizer().forget(topicArn))
                .thenApply(ignored -> RestResponse.noContent());
    }

    private CompletableFuture<RestResponse> subscriptions(RestRequest request) {
        return allowed(request, "ListSubscriptionsByTopic")
                .thenCompose(ok -> notify.subscriptions().describeSubscriptions(arn(request)))
                .thenCompose(all -> failures.elsewhere().thenApply(elsewhere -> RestResponse.json(200, Map.of("subscriptions",
                        all.stream().map(attributes -> withFailureElsewhere(subscriptionView(attributes), elsewhere))
                                .toList()))));
    }

    private CompletableFuture<RestResponse> nodeFailures(RestRequest request) {
        Map<String, Object> listed = new LinkedHashMap<>();
        notify.deliveryHealth().failures().forEach((id, failure) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Topic", failure.topic());
            entry.put("Protocol", failure.protocol());
            entry.put("Reason", failure.reason());
            entry.put("Since", failure.since().toString());
            entry.put("Last", failure.last().toString());
            entry.put("Attempts", failure.attempts());
            listed.put(id, entry);
        });
        return CompletableFuture.completedFuture(RestResponse.json(200, Map.of("Failures", listed)));
    }

    /**
     * The view with the latest failure another node knows of, when it is later than this node's (or this node has
     * none): a confirmed subscription is failing when any node's latest attempt failed; {@code failingOn} names the node.
     */
    private static Map<String, Object> withFailureElsewhere(Map<String, Object> view,
            Map<String, SubscriptionFailures.NodeFailure> elsewhere) {
        String arn = String.valueOf(view.get("subscriptionArn"));
        SubscriptionFailures.NodeFailure other = elsewhere.get(arn.substring(arn.lastIndexOf(':') + 1));
        Object localLast = view.get("lastDeliveryErrorAt");
        if (other == null || (localLast != null && !other.failure().last().isAfter(java.time.Instant.parse(localLast.toString())))) {
            return view;
        }
        if ("Confirmed".equals(view.get("status"))) {
            view.put("status", "Failing");
        }
        view.put("lastDeliveryError", other.failure().reason());
        view.put("lastDeliveryErrorAt", other.failure().last().toString());
        view.put("failingSince", other.failure().since().toString());
        view.put("failedAttempts", other.failure().attempts());
        view.put("failingOn", other.node());
        return view;
    }

    private static Map<String, Object> subscriptionView(Map<String, String> attributes) {
        Map<String, Object> view = new LinkedHashMap<>();
        Function<String, String> field = attributes::get;
        view.put("subscriptionArn", field.apply("SubscriptionArn"));
        view.put("protocol", field.apply("Protocol"));
        view.put("endpoint", field.apply("Endpoint"));
        view.put("status", field.apply("Status"));
        view.put("lastDeliveryError", field.apply("LastDeliveryError"));
        view.put("lastDeliveryErrorAt", field.apply("LastDeliveryErrorAt"));
        view.put("failingSince", field.apply("FailingSince"));
        String attempts = field.apply("FailedAttempts");
        view.put("failedAttempts", attempts == null ? 0 : Long.parseLong(attempts));
        view.put("attributes", attributes);
        return view;
    }

    private CompletableFuture<RestResponse> subscribe(RestRequest request) {
        JsonNode root = READER.object(request.body(), Set.of("protocol", "endpoint", "attributes"));
        String protocol = READER.text(root, "protocol", "protocol");
        String endpoint = READER.text(root, "endpoint", "endpoint");
        Map<String, String> attributes = stringMap(root, "attributes");
        return allowed(request, "Subscribe").thenCompose(ok -> notify.subscriptions().subscribe(request.caller(), arn(request),
                        protocol, endpoint, attributes, true))
                .thenApply(subscriptionArn -> RestResponse.json(200, Map.of("subscriptionArn", subscriptionArn)));
    }

    private CompletableFuture<RestResponse> unsubscribe(RestRequest request) {
        String subscriptionArn = arn(request) + ":" + request.path("id");
        return notify.subscriptions().unsubscribe(request.caller(), subscriptionArn).thenApply(ignored -> RestResponse.noContent());
    }

    private CompletableFuture<RestResponse> publish(RestRequest request) {
        JsonNode root = READER.object(request.body(), Set.of("message", "subject", "messageAttributes", "messageGroupId",
                "messageDeduplicationId"));
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        JsonNode given = READER.object(root, "messageAttributes", "messageAttributes");
        if (given != null) {
            given.fields().forEachRemaining(entry -> {
                String path = "messageAttributes." + entry.getKey();
                attributes.put(entry.getKey(), MessageAttributeValue.ofString(
                        READER.text(entry.getValue(), "dataType", path + ".dataType"),
                        READER.text(entry.getValue(), "stringValue", path + ".stringValue")));
            });
        }
        PublishActions.Entry entry = new PublishActions.Entry(null, READER.text(root, "message", "message"),
                READER.text(root, "subject", "subject"), null, attributes, READER.text(root, "messageGroupId", "messageGroupId"),
                READER.text(root, "messageDeduplicationId", "messageDeduplicationId"));
        String topicArn = arn(request);
        return allowed(request, "Publish").thenCompose(ok -> notify.publishing().publish(topicArn, entry))
                .thenApply(published -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("messageId", published.messageId());
                    body.put("sequenceNumber", published.sequenceNumber());
                    return RestResponse.json(200, body);
                });
    }
}
