package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.DeleteQueueRequest;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.clientsdk.model.ListQueuesRequest;
import dev.sluice.clientsdk.model.SetQueueAttributesRequest;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The internal queues notify keeps its durable state in: one outbox a topic
 * ({@code sluice-internal-topic-<topicId>}) and one delivery queue an HTTP(S) subscription
 * ({@code sluice-internal-sub-<subscriptionId>}). Ordinary queues under the reserved prefix.
 */
public final class InternalQueues {
    /** Queue names a ListQueues page asks for (SQS's maximum). */
    private static final int LIST_PAGE = 1000;
    /** Outbox and delivery messages wait up to SQS's longest retention, 14 days. */
    static final String RETENTION_SECONDS = "1209600";
    /** Room for a 256 KiB SNS message with its attributes after JSON escaping. */
    static final String MAXIMUM_MESSAGE_SIZE = "1048576";
    /** An outbox message a node received and did not fan out within this returns to the others. */
    static final String OUTBOX_VISIBILITY_SECONDS = "30";
    /** An SQS queue name: 1-80 letters, digits, hyphens and underscores, a FIFO queue's ending in .fifo. */
    private static final java.util.regex.Pattern QUEUE_NAME =
            java.util.regex.Pattern.compile("(?=.{1,80}$)[A-Za-z0-9_-]+(\\.fifo)?");

    /** An account id as an ARN carries it: AWS's 12 digits (Sluice's default account is one too). */
    private static final java.util.regex.Pattern ACCOUNT = java.util.regex.Pattern.compile("[0-9]{12}");

    private final QueueClient queues;
    private final String accountId;
    private final String region;
    private final Supplier<String> baseUrl;

    public InternalQueues(QueueClient queues, String accountId, String region, Supplier<String> baseUrl) {
        this.queues = queues;
        this.accountId = accountId;
        this.region = region;
        this.baseUrl = baseUrl;
    }

    static String outboxName(Topic topic) {
        return ReservedQueueNames.PREFIX + "topic-" + topic.id() + (topic.fifo() ? ".fifo" : "");
    }

    static String deliveryName(Subscription subscription) {
        return ReservedQueueNames.PREFIX + "sub-" + subscription.id();
    }

    String outboxUrl(Topic topic) {
        return url(outboxName(topic));
    }

    String deliveryUrl(Subscription subscription) {
        return url(deliveryName(subscription));
    }

    String url(String queueName) {
        return new QueueUrl(accountId, queueName).toUrl(baseUrl.get());
    }

    /** The URL of a queue named by an SQS ARN of this region (any account: its URL names the owner), or empty. */
    Optional<String> urlOfArn(String arn) {
        String prefix = "arn:aws:sqs:" + region + ":";
        if (arn == null || !arn.startsWith(prefix)) {
            return Optional.empty();
        }
        String[] accountAndName = arn.substring(prefix.length()).split(":", -1);
        if (accountAndName.length != 2 || !ACCOUNT.matcher(accountAndName[0]).matches()
                || !QUEUE_NAME.matcher(accountAndName[1]).matches()) {
            return Optional.empty();
        }
        return Optional.of(new QueueUrl(accountAndName[0], accountAndName[1]).toUrl(baseUrl.get()));
    }

    /** As {@link #urlOfArn(String)}, for a queue of {@code account} only. */
    Optional<String> urlOfArn(String arn, String account) {
        return urlOfArn(arn).filter(url -> arn.split(":", -1)[4].equals(account));
    }

    String region() {
        return region;
    }

    String accountId() {
        return accountId;
    }

    /**
     * Creates a topic's outbox; a FIFO topic's is a FIFO queue, whose groups keep publish order and whose
     * deduplication (every publish carries an id) is the topic's.
     */
    CompletableFuture<Void> createOutbox(Topic topic) {
        Map<String, String> attributes = new java.util.TreeMap<>(Map.of("MessageRetentionPeriod", RETENTION_SECONDS,
                "MaximumMessageSize", MAXIMUM_MESSAGE_SIZE, "VisibilityTimeout", OUTBOX_VISIBILITY_SECONDS));
        if (topic.fifo()) {
            attributes.put("FifoQueue", "true");
        }
        return queues.createQueue(new CreateQueueRequest(outboxName(topic), attributes, Map.of())).thenApply(created -> null);
    }

    /**
     * Creates a subscription's delivery queue. With a dead-letter queue, the queue's RedrivePolicy moves a
     * message there once it was received {@code maxAttempts} times.
     */
    CompletableFuture<Void> createDeliveryQueue(Subscription subscription, int maxAttempts, String deadLetterArn,
            int visibilitySeconds) {
        Map<String, String> attributes = new java.util.TreeMap<>(Map.of("MessageRetentionPeriod", RETENTION_SECONDS,
                "MaximumMessageSize", MAXIMUM_MESSAGE_SIZE, "VisibilityTimeout", String.valueOf(visibilitySeconds)));
        return queues.createQueue(new CreateQueueRequest(deliveryName(subscription), attributes, Map.of()))
                .thenCompose(created -> setRedrive(subscription, maxAttempts, deadLetterArn));
    }

    /** Points the delivery queue's RedrivePolicy at the dead-letter queue, or removes it (null). */
    CompletableFuture<Void> setRedrive(Subscription subscription, int maxAttempts, String deadLetterArn) {
        String policy = deadLetterArn == null ? ""
                : "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":" + maxAttempts + "}";
        return queues.setQueueAttributes(new SetQueueAttributesRequest(deliveryUrl(subscription),
                Map.of("RedrivePolicy", policy))).thenApply(set -> null);
    }

    /** True for a name this class gives: a topic's outbox or a subscription's delivery queue. */
    static boolean isNotifyQueue(String queueName) {
        return queueName.startsWith(ReservedQueueNames.PREFIX + "topic-") || queueName.startsWith(ReservedQueueNames.PREFIX + "sub-");
    }

    /** Names of every outbox and delivery queue that exists now, paging through ListQueues. */
    CompletableFuture<List<String>> listNotifyQueues() {
        return listFrom(null, new ArrayList<>());
    }

    private CompletableFuture<List<String>> listFrom(String nextToken, List<String> into) {
        return queues.listQueues(new ListQueuesRequest(ReservedQueueNames.PREFIX, nextToken, LIST_PAGE)).thenCompose(page -> {
            page.queueUrls().stream().map(url -> QueueUrl.parse(url).map(QueueUrl::queueName).orElse(""))
                    .filter(InternalQueues::isNotifyQueue).forEach(into::add);
            return page.nextToken() == null ? CompletableFuture.completedFuture(into) : listFrom(page.nextToken(), into);
        });
    }

    /** When the queue was created (SQS's CreatedTimestamp, whole seconds); empty when it is gone. */
    CompletableFuture<Optional<Instant>> createdAt(String queueName) {
        return queues.getQueueAttributes(new GetQueueAttributesRequest(url(queueName), List.of("CreatedTimestamp")))
                .handle((response, failure) -> {
                    if (failure != null) {
                        if (isMissingQueue(failure)) {
                            return Optional.<Instant>empty();
                        }
                        throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
                    }
                    return Optional.of(Instant.ofEpochSecond(Long.parseLong(response.attributes().get("CreatedTimestamp"))));
                });
    }

    /** Deletes an internal queue; one that is already gone is fine. */
    CompletableFuture<Void> delete(String queueName) {
        return queues.deleteQueue(new DeleteQueueRequest(url(queueName))).handle((deleted, failure) -> {
            if (failure != null && !isMissingQueue(failure)) {
                throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
            }
            return null;
        });
    }

    static boolean isMissingQueue(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof SqsException sqs && sqs.error() == SqsError.QUEUE_DOES_NOT_EXIST;
    }
}
