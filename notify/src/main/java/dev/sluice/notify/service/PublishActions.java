package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.model.BatchResultErrorEntry;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequestEntry;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.notify.core.PublishedMessage;
import dev.sluice.notify.core.Topic;
import dev.sluice.notify.core.TopicArn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Publish and PublishBatch: a publish is acknowledged once its message is durable in the topic's outbox
 * queue (one send, one Raft entry); fanout happens after. Topics are looked up through a short-lived
 * local cache: a publish racing a DeleteTopic finds the outbox gone and answers NotFound. Thread-safe.
 */
public final class PublishActions {
    private static final int MAX_BATCH_ENTRIES = 10;
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final int MAX_CACHED_TOPICS = 10_000;

    /** One message to publish. Null fields are absent; attributes are empty when absent. */
    public record Entry(String id, String message, String subject, String messageStructure,
            Map<String, MessageAttributeValue> attributes, String groupId, String deduplicationId) {
        public Entry {
            attributes = Map.copyOf(attributes);
        }
    }

    public record BatchResult(List<Success> successful, List<BatchResultErrorEntry> failed) {
    }

    /** A published message's id, and its sequence number on a FIFO topic (else null). */
    public record Success(String id, String messageId, String sequenceNumber) {
    }

    private record CachedTopic(Topic topic, long expiresAtNanos) {
    }

    private final NotifyCatalog catalog;
    private final InternalQueues queues;
    private final QueueClient queueClient;
    private final Supplier<UUID> ids;
    private final Timestamps timestamps;
    private final Duration cacheFor;
    private final Map<String, CachedTopic> topicCache = new ConcurrentHashMap<>();
    private final NotificationCounts counts;
    /** Why a publish of so many payload bytes by a topic's owner is refused, or null (see TopicAccess#publishRefusal). */
    private final java.util.function.BiFunction<String, Long, String> refusal;

    PublishActions(NotifyCatalog catalog, InternalQueues queues, QueueClient queueClient, Supplier<UUID> ids,
            Timestamps timestamps, Duration cacheFor, NotificationCounts counts,
            java.util.function.BiFunction<String, Long, String> refusal) {
        this.counts = counts;
        this.refusal = refusal;
        this.catalog = catalog;
        this.queues = queues;
        this.queueClient = queueClient;
        this.ids = ids;
        this.timestamps = timestamps;
        this.cacheFor = cacheFor;
    }

    /** OverLimit when the topic's owner may not add {@code payloadBytes} more (see TopicAccess#publishRefusal). */
    private void refuseOverQuota(TopicArn arn, long payloadBytes) {
        String why = refusal.apply(arn.accountId(), payloadBytes);
        if (why != null) {
            throw SnsError.OVER_LIMIT.exception(why);
        }
    }

    /** Publishes one message; completes with its SNS message id (and sequence number on a FIFO topic). */
    public CompletableFuture<Success> publish(String topicArn, Entry entry) {
        return Futures.of(() -> {
            TopicArn arn = TopicArn.require("TopicArn or TargetArn", topicArn);
            check(entry);
            refuseOverQuota(arn, MessageChecks.size(entry.message(), entry.attributes()));
            return topic(arn).thenCompose(topic -> {
                PublishedMessage message = message(arn, topic, entry);
                return queueClient.sendMessage(new SendMessageRequest(queues.outboxUrl(topic), message.toJson(), null,
                        billing(arn, entry), Map.of(), message.deduplicationId(), message.groupId()))
                        .thenApply(sent -> {
                            counts.published(topic.name(), MessageChecks.size(entry.message(), entry.attributes()));
                            return new Success(null, message.messageId(), sent.sequenceNumber());
                        });
            }).exceptionally(failure -> {
                throw translate(failure);
            });
        });
    }

    /** Publishes up to 10 messages with one outbox send; entries that fail their checks are reported per entry. */
    public CompletableFuture<BatchResult> publishBatch(String topicArn, List<Entry> entries) {
        return Futures.of(() -> {
            TopicArn arn = TopicArn.require("TopicArn", topicArn);
            checkBatchShape(entries);
            return topic(arn).thenCompose(topic -> {
                List<BatchResultErrorEntry> failed = new ArrayList<>();
                List<Entry> accepted = new ArrayList<>();
                List<PublishedMessage> messages = new ArrayList<>();
                for (Entry entry : entries) {
                    try {
                        check(entry);
                        messages.add(message(arn, topic, entry));
                        accepted.add(entry);
                    } catch (SnsException e) {
                        failed.add(new BatchResultErrorEntry(entry.id(), true, e.error().code(), e.getMessage()));
                    }
                }
                if (accepted.isEmpty()) {
                    return CompletableFuture.completedFuture(new BatchResult(List.of(), failed));
                }
                long payload = 0;
                for (Entry entry : accepted) {
                    payload += MessageChecks.size(entry.message(), entry.attributes());
                }
                refuseOverQuota(arn, payload);
                List<SendMessageBatchRequestEntry> sends = new ArrayList<>();
                for (int i = 0; i < accepted.size(); i++) {
                    sends.add(new SendMessageBatchRequestEntry(accepted.get(i).id(), messages.get(i).toJson(), null,
                            billing(arn, accepted.get(i)), Map.of(), messages.get(i).deduplicationId(), messages.get(i).groupId()));
                }
                return queueClient.sendMessageBatch(new SendMessageBatchRequest(queues.outboxUrl(topic), sends))
                        .thenApply(response -> {
                            List<Success> successful = new ArrayList<>();
                            response.successful().forEach(sent -> {
                                Entry entry = accepted.get(indexOf(accepted, sent.id()));
                                counts.published(topic.name(), MessageChecks.size(entry.message(), entry.attributes()));
                                successful.add(new Success(sent.id(), messages.get(indexOf(accepted, sent.id())).messageId(),
                                        sent.sequenceNumber()));
                            });
                            List<BatchResultErrorEntry> allFailed = new ArrayList<>(failed);
                            response.failed().forEach(entry -> allFailed.add(new BatchResultErrorEntry(entry.id(),
                                    entry.senderFault(), SnsError.INTERNAL_ERROR.code(), entry.message())));
                            return new BatchResult(successful, allFailed);
                        });
            }).exceptionally(failure -> {
                throw translate(failure);
            });
        });
    }

    private static int indexOf(List<Entry> entries, String id) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException("no batch entry " + id);
    }

    private static void checkBatchShape(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw SnsError.EMPTY_BATCH_REQUEST.exception("The batch request doesn't contain any entries");
        }
        if (entries.size() > MAX_BATCH_ENTRIES) {
            throw SnsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST.exception("The batch request contains more entries than "
                    + "permissible");
        }
        Set<String> seen = new HashSet<>();
        long total = 0;
        for (Entry entry : entries) {
            if (entry.id() == null || !BATCH_ID.matcher(entry.id()).matches()) {
                throw SnsError.INVALID_BATCH_ENTRY_ID.exception("The Id of a batch entry in a batch request doesn't "
                        + "abide by the specification");
            }
            if (!seen.add(entry.id())) {
                throw SnsError.BATCH_ENTRY_IDS_NOT_DISTINCT.exception("Two or more batch entries in the request have "
                        + "the same Id");
            }
            total += MessageChecks.size(entry.message(), entry.attributes());
        }
        if (total > MessageChecks.MAX_MESSAGE_BYTES) {
            throw SnsError.BATCH_REQUEST_TOO_LONG.exception("The length of all the messages put together is more "
                    + "than the limit");
        }
    }

    private static void check(Entry entry) {
        MessageChecks.check(entry.message(), entry.subject(), entry.messageStructure(), entry.attributes());
    }

    /**
     * The outbox record, with FIFO rules applied: a FIFO topic needs a MessageGroupId and a
     * MessageDeduplicationId unless ContentBasedDeduplication (then the body's SHA-256); standard topics
     * take neither.
     */
    /**
     * What the outbox send bills (the queue engine meters it when the send applies): the topic's owner, for the SNS
     * payload of the entry (message and attributes), not the outbox's JSON envelope.
     */
    private static Map<String, MessageAttributeValue> billing(TopicArn arn, Entry entry) {
        return Map.of(ReservedQueueNames.BILLING_ATTRIBUTE, MessageAttributeValue.ofString("String",
                ReservedQueueNames.billing(arn.accountId(), MessageChecks.size(entry.message(), entry.attributes()))));
    }

    private PublishedMessage message(TopicArn arn, Topic topic, Entry entry) {
        String deduplicationId = entry.deduplicationId();
        if (topic.fifo()) {
            MessageChecks.checkFifoId("MessageGroupId", entry.groupId());
            if (deduplicationId == null && topic.contentBasedDeduplication()) {
                deduplicationId = MessageChecks.sha256Hex(entry.message());
            }
            MessageChecks.checkFifoId("MessageDeduplicationId", deduplicationId);
        } else if (entry.groupId() != null) {
            throw SnsError.invalidParameter("MessageGroupId Reason: The request includes MessageGroupId parameter "
                    + "that is not valid for this topic type");
        } else if (deduplicationId != null) {
            throw SnsError.invalidParameter("MessageDeduplicationId Reason: The request includes "
                    + "MessageDeduplicationId parameter that is not valid for this topic type");
        }
        return new PublishedMessage(ids.get().toString(), arn.toString(), entry.subject(), entry.message(),
                entry.messageStructure(), entry.attributes(), timestamps.now(), entry.groupId(), deduplicationId, null);
    }

    /** The topic of the ARN's account (its catalog key, {@link TopicArn#qualifiedName}). */
    private CompletableFuture<Topic> topic(TopicArn arn) {
        String key = arn.qualifiedName(queues.accountId());
        CachedTopic cached = topicCache.get(key);
        if (cached != null && cached.expiresAtNanos() - System.nanoTime() > 0) {
            return CompletableFuture.completedFuture(cached.topic());
        }
        return catalog.topic(key).thenApply(found -> {
            Topic topic = found.orElseThrow(() -> SnsError.NOT_FOUND.exception("Topic does not exist"));
            if (topicCache.size() >= MAX_CACHED_TOPICS) {
                topicCache.clear();
            }
            topicCache.put(topic.name(), new CachedTopic(topic, System.nanoTime() + cacheFor.toNanos()));
            return topic;
        });
    }

    /** A topic deleted since it was cached has no outbox: that is NotFound to the publisher. */
    private static RuntimeException translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (InternalQueues.isMissingQueue(cause)) {
            return SnsError.NOT_FOUND.exception("Topic does not exist");
        }
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }
}
