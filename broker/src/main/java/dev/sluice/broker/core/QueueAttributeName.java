package dev.sluice.broker.core;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The queue attribute names of SQS, in the order GetQueueAttributes returns them.
 *
 * <p>{@code settable} attributes are settings ({@link QueueSettings}); the others are dynamic and
 * computed by the engine. {@link #ALL} only selects.
 */
public enum QueueAttributeName {
    ALL("All", false),
    QUEUE_ARN("QueueArn", false),
    APPROXIMATE_NUMBER_OF_MESSAGES("ApproximateNumberOfMessages", false),
    APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE("ApproximateNumberOfMessagesNotVisible", false),
    APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED("ApproximateNumberOfMessagesDelayed", false),
    CREATED_TIMESTAMP("CreatedTimestamp", false),
    LAST_MODIFIED_TIMESTAMP("LastModifiedTimestamp", false),
    VISIBILITY_TIMEOUT("VisibilityTimeout", true),
    MAXIMUM_MESSAGE_SIZE("MaximumMessageSize", true),
    MESSAGE_RETENTION_PERIOD("MessageRetentionPeriod", true),
    DELAY_SECONDS("DelaySeconds", true),
    RECEIVE_MESSAGE_WAIT_TIME_SECONDS("ReceiveMessageWaitTimeSeconds", true),
    POLICY("Policy", true),
    REDRIVE_POLICY("RedrivePolicy", true),
    REDRIVE_ALLOW_POLICY("RedriveAllowPolicy", true),
    KMS_MASTER_KEY_ID("KmsMasterKeyId", true),
    KMS_DATA_KEY_REUSE_PERIOD_SECONDS("KmsDataKeyReusePeriodSeconds", true),
    SQS_MANAGED_SSE_ENABLED("SqsManagedSseEnabled", true),
    FIFO_QUEUE("FifoQueue", true),
    CONTENT_BASED_DEDUPLICATION("ContentBasedDeduplication", true),
    DEDUPLICATION_SCOPE("DeduplicationScope", true),
    FIFO_THROUGHPUT_LIMIT("FifoThroughputLimit", true);

    private static final Map<String, QueueAttributeName> BY_WIRE_NAME = Stream.of(values())
            .collect(Collectors.toUnmodifiableMap(QueueAttributeName::wireName, Function.identity()));

    private final String wireName;
    private final boolean settable;

    QueueAttributeName(String wireName, boolean settable) {
        this.wireName = wireName;
        this.settable = settable;
    }

    /** The attribute of a wire name (case-sensitive), or null when SQS has none such. */
    public static QueueAttributeName ofWireName(String wireName) {
        return BY_WIRE_NAME.get(wireName);
    }

    public String wireName() {
        return wireName;
    }

    /** True for attributes CreateQueue may set (SetQueueAttributes: all but FifoQueue). */
    public boolean settable() {
        return settable;
    }

    /** True for the attributes only FIFO queues have. */
    public boolean fifoOnly() {
        return this == FIFO_QUEUE || this == CONTENT_BASED_DEDUPLICATION
                || this == DEDUPLICATION_SCOPE || this == FIFO_THROUGHPUT_LIMIT;
    }
}
