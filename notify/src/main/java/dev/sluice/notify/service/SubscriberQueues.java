package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.notify.core.TopicAccess;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Whether a topic may deliver to a tenant's queue of another account, by the queue's Policy: when subscribing, and
 * again before fanout sends there ({@link #stillAllows}: a decision is kept {@link #RECHECK_NANOS}, so a Policy its
 * owner withdrew stops the deliveries within that time). The Policy is read and judged by {@link TopicAccess}, as the
 * SQS edge reads and judges it; the tenants' view of the queues (internal ones do not exist there) only answers
 * whether a queue whose Policy refused the topic is missing. Thread-safe; never blocks.
 */
final class SubscriberQueues {
    /** How long fanout keeps a decision before reading the queue's Policy again. */
    static final long RECHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_DECISIONS = 10_000;

    private final QueueClient tenantQueues;
    private final TopicAccess access;
    private final java.util.Map<String, Decided> decisions = new java.util.concurrent.ConcurrentHashMap<>();

    private record Decided(boolean allowed, long expiresAtNanos) {
    }

    SubscriberQueues(QueueClient tenantQueues, TopicAccess access) {
        this.tenantQueues = tenantQueues;
        this.access = access;
    }

    /**
     * As {@link #allowsTopic}, from a decision at most {@link #RECHECK_NANOS} old: fanout asks before every batch it
     * sends to another account's queue. A missing queue passes: the send finds it missing, and the copies go to the
     * subscription's dead-letter queue as for any queue that is gone.
     */
    CompletableFuture<Boolean> stillAllows(String queueUrl, String queueArn, String queueAccount, String topicArn,
            String topicAccount) {
        String key = topicArn + " " + queueArn;
        Decided cached = decisions.get(key);
        if (cached != null && cached.expiresAtNanos() - System.nanoTime() > 0) {
            return CompletableFuture.completedFuture(cached.allowed());
        }
        return allowsOrMissing(queueUrl, queueArn, topicArn, topicAccount).thenApply(allowed -> {
            if (decisions.size() >= MAX_DECISIONS) {
                decisions.clear();
            }
            decisions.put(key, new Decided(allowed, System.nanoTime() + RECHECK_NANOS));
            return allowed;
        });
    }

    /** True when the queue exists and its Policy allows the topic to SendMessage; false for a missing queue too. */
    CompletableFuture<Boolean> allowsTopic(String queueUrl, String queueArn, String queueAccount, String topicArn,
            String topicAccount) {
        return access.topicMaySendTo(topicArn, topicAccount, queueArn);
    }

    /** As {@link #allowsTopic}, but a missing queue passes (its Policy reads as none: only then is it looked for). */
    private CompletableFuture<Boolean> allowsOrMissing(String queueUrl, String queueArn, String topicArn,
            String topicAccount) {
        return access.topicMaySendTo(topicArn, topicAccount, queueArn).thenCompose(allowed -> allowed
                ? CompletableFuture.completedFuture(allowed)
                : tenantQueues.getQueueAttributes(new GetQueueAttributesRequest(queueUrl, List.of("QueueArn")))
                        .handle((answer, failure) -> {
                            if (failure == null) {
                                return false;
                            }
                            if (InternalQueues.isMissingQueue(failure)) {
                                return true;
                            }
                            throw failure instanceof CompletionException completion ? completion
                                    : new CompletionException(failure);
                        }));
    }
}
