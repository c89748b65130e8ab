package dev.sluice.broker.api.rest;

import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.broker.api.rest.RestOperation.Parameter;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.StrictUtf8;
import dev.sluice.notify.service.NotifyService;
import dev.sluice.notify.service.PublishActions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /v1/topics/{name}/messages}: publishes the raw request body to a topic, so that a webhook
 * sender such as Prometheus Alertmanager can post straight into it; and {@code /v1/admin/internal-queues},
 * the operators' view of notify's internal queues. Errors carry the SNS error codes.
 */
public final class TopicResource implements RestResource {

    private final NotifyService notify;
    private final String region;

    /** @param region the region in topic ARNs; the account is the caller's */
    public TopicResource(NotifyService notify, String region) {
        this.notify = notify;
        this.region = region;
    }

    @Override
    public String tag() {
        return "topics";
    }

    @Override
    public List<RestOperation> operations() {
        return List.of(
                new RestOperation("POST", "/topics/{name}/messages", "publish",
                        "Publishes the raw body to the topic, without message attributes",
                        List.of(Parameter.query("subject", "string", "the Subject of the notification"),
                                Parameter.query("messageGroupId", "string", "FIFO topics: the message group"),
                                Parameter.query("messageDeduplicationId", "string", "FIFO topics: the deduplication id")),
                        new Body("application/octet-stream", "the message, UTF-8 text", true),
                        Map.of(200, "{MessageId}", 400, "InvalidParameter", 404, "NotFound"), this::publish),
                new RestOperation("GET", "/admin/internal-queues", "listInternalQueues",
                        "The depth of every internal queue (topic outboxes, delivery queues), for operators",
                        List.of(), null, Map.of(200, "{queue name: {SQS attribute: value}}"), this::internalQueues));
    }

    private CompletableFuture<RestResponse> publish(RestRequest request) {
        // The caller's topic of that name: REST paths name topics within the caller's account.
        String topicArn = "arn:aws:sns:" + region + ":" + notify.accountOf(request.caller()) + ":" + request.path("name");
        String message = StrictUtf8.decodeOrNull(request.body());
        if (message == null) {
            // As SNS: a message is text; replacing bad bytes would publish something nobody sent.
            return CompletableFuture.failedFuture(SnsError.invalidParameter("Message must be UTF-8 text"));
        }
        PublishActions.Entry entry = new PublishActions.Entry(null, message,
                request.query("subject"), null, Map.of(), request.query("messageGroupId"),
                request.query("messageDeduplicationId"));
        return notify.authorizer().authorize(request.caller(), "Publish", topicArn)
                .thenCompose(allowed -> notify.publishing().publish(topicArn, entry))
                .thenApply(published -> RestResponse.json(200, Map.of("MessageId", published.messageId())));
    }

    private CompletableFuture<RestResponse> internalQueues(RestRequest request) {
        return notify.internalQueueDepths().thenApply(depths -> RestResponse.json(200, depths));
    }
}
