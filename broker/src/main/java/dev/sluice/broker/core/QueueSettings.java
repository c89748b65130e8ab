package dev.sluice.broker.core;

import java.util.List;
import java.util.Objects;

/**
 * The settable attributes of a queue, typed, with SQS's defaults from {@link #defaults}.
 *
 * <p>Optional settings are null when unset (no redrive, no policy, no KMS key). The FIFO-only
 * settings are null on standard queues. Immutable; build changes with {@link QueueAttributeCodec}.
 *
 * @param delaySeconds default delay of new messages
 * @param maximumMessageSizeBytes largest message (body and attributes) the queue accepts
 * @param messageRetentionPeriodSeconds how long a message is kept
 * @param receiveMessageWaitTimeSeconds default long-poll wait of ReceiveMessage
 * @param visibilityTimeoutSeconds default visibility timeout of received messages
 * @param redrivePolicy dead-letter target, or null
 * @param redriveAllowPolicy which source queues may use this queue as dead-letter queue, or null (allowAll)
 * @param policy the access policy JSON document, or null
 * @param fifoQueue FIFO queue; immutable after creation
 * @param contentBasedDeduplication FIFO: SHA-256 of the body as deduplication id; null on standard queues
 * @param deduplicationScope FIFO: {@code queue} or {@code messageGroup}; null on standard queues
 * @param fifoThroughputLimit FIFO: {@code perQueue} or {@code perMessageGroupId}; null on standard queues
 * @param kmsMasterKeyId KMS key id, stored and returned only (Sluice encrypts nothing); or null
 * @param kmsDataKeyReusePeriodSeconds stored and returned only
 * @param sqsManagedSseEnabled stored and returned only; false whenever a KMS key is set
 */
public record QueueSettings(
        int delaySeconds,
        int maximumMessageSizeBytes,
        int messageRetentionPeriodSeconds,
        int receiveMessageWaitTimeSeconds,
        int visibilityTimeoutSeconds,
        RedrivePolicy redrivePolicy,
        RedriveAllowPolicy redriveAllowPolicy,
        String policy,
        boolean fifoQueue,
        Boolean contentBasedDeduplication,
        DeduplicationScope deduplicationScope,
        FifoThroughputLimit fifoThroughputLimit,
        String kmsMasterKeyId,
        int kmsDataKeyReusePeriodSeconds,
        boolean sqsManagedSseEnabled) {

    public QueueSettings {
        if (fifoQueue) {
            Objects.requireNonNull(contentBasedDeduplication, "contentBasedDeduplication");
            Objects.requireNonNull(deduplicationScope, "deduplicationScope");
            Objects.requireNonNull(fifoThroughputLimit, "fifoThroughputLimit");
        } else if (contentBasedDeduplication != null || deduplicationScope != null || fifoThroughputLimit != null) {
            throw new IllegalArgumentException("FIFO-only settings on a standard queue");
        }
    }

    /** SQS's settings of a new queue: standard or FIFO, SSE-SQS on, nothing else set. */
    public static QueueSettings defaults(QueueAttributeBounds bounds, boolean fifoQueue) {
        return new QueueSettings(0, bounds.defaultMaximumMessageSizeBytes(), bounds.defaultRetentionSeconds(),
                0, bounds.defaultVisibilityTimeoutSeconds(), null, null, null, fifoQueue,
                fifoQueue ? Boolean.FALSE : null,
                fifoQueue ? DeduplicationScope.QUEUE : null,
                fifoQueue ? FifoThroughputLimit.PER_QUEUE : null,
                null, bounds.defaultKmsDataKeyReusePeriodSeconds(), true);
    }

    /** RedrivePolicy: where messages go after {@code maxReceiveCount} receives. */
    public record RedrivePolicy(String deadLetterTargetArn, int maxReceiveCount) {
        public RedrivePolicy {
            Objects.requireNonNull(deadLetterTargetArn, "deadLetterTargetArn");
        }
    }

    /** RedriveAllowPolicy: {@code sourceQueueArns} is non-empty exactly for {@code byQueue}. */
    public record RedriveAllowPolicy(RedrivePermission redrivePermission, List<String> sourceQueueArns) {
        public RedriveAllowPolicy {
            Objects.requireNonNull(redrivePermission, "redrivePermission");
            sourceQueueArns = sourceQueueArns == null ? List.of() : List.copyOf(sourceQueueArns);
        }
    }

    /** The {@code redrivePermission} of a RedriveAllowPolicy. */
    public enum RedrivePermission implements WireNamed {
        ALLOW_ALL("allowAll"), DENY_ALL("denyAll"), BY_QUEUE("byQueue");

        private final String wireName;

        RedrivePermission(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }
    }

    /** The DeduplicationScope of a FIFO queue. */
    public enum DeduplicationScope implements WireNamed {
        QUEUE("queue"), MESSAGE_GROUP("messageGroup");

        private final String wireName;

        DeduplicationScope(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }
    }

    /** The FifoThroughputLimit of a FIFO queue. */
    public enum FifoThroughputLimit implements WireNamed {
        PER_QUEUE("perQueue"), PER_MESSAGE_GROUP_ID("perMessageGroupId");

        private final String wireName;

        FifoThroughputLimit(String wireName) {
            this.wireName = wireName;
        }

        @Override
        public String wireName() {
            return wireName;
        }
    }
}
