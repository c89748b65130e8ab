package dev.sluice.broker.service;

import dev.sluice.broker.core.EngineLimits;
import dev.sluice.broker.core.QueueAttributeBounds;

/**
 * Every SQS limit Sluice enforces, with Amazon SQS's values in {@link #defaults()}.
 *
 * <p>Sizes are bytes, durations seconds (as on the SQS wire). The edge enforces what needs no
 * queue state; the engine reads the same record for the rest (in-flight counts, purge interval).
 *
 * @param maxBatchEntries entries in one batch request
 * @param maxBatchPayloadBytes sum of the message sizes of one SendMessageBatch
 * @param minMaximumMessageSizeBytes lowest allowed MaximumMessageSize attribute
 * @param defaultMaximumMessageSizeBytes MaximumMessageSize of a new queue
 * @param maxMaximumMessageSizeBytes highest MaximumMessageSize, and the absolute bound the edge checks
 * @param maxWaitTimeSeconds long-poll wait (WaitTimeSeconds, ReceiveMessageWaitTimeSeconds)
 * @param defaultVisibilityTimeoutSeconds VisibilityTimeout of a new queue
 * @param maxVisibilityTimeoutSeconds visibility timeout, and the total from a message's first receipt
 * @param maxDelaySeconds DelaySeconds of a message or queue
 * @param minRetentionSeconds lowest MessageRetentionPeriod
 * @param defaultRetentionSeconds MessageRetentionPeriod of a new queue (4 days)
 * @param maxRetentionSeconds highest MessageRetentionPeriod (14 days)
 * @param maxInflightStandard in-flight messages of a standard queue before OverLimit
 * @param maxInflightFifo in-flight messages of a FIFO queue before receives return nothing (SQS: no error)
 * @param maxReceiveMessages MaxNumberOfMessages of one ReceiveMessage
 * @param maxMessageAttributes message attributes of one message
 * @param maxMessageAttributeNameLength characters of a message attribute name
 * @param maxMessageAttributeTypeLength characters of a message attribute data type
 * @param maxQueueNameLength characters of a queue name, {@code .fifo} included
 * @param maxBatchEntryIdLength characters of a batch entry id
 * @param maxMessageGroupIdLength characters of a MessageGroupId
 * @param maxDeduplicationIdLength characters of a MessageDeduplicationId
 * @param maxReceiveRequestAttemptIdLength characters of a ReceiveRequestAttemptId
 * @param maxTagsPerQueue tags a queue may hold
 * @param maxTagKeyLength characters of a tag key
 * @param maxTagValueLength characters of a tag value
 * @param maxListResults MaxResults of ListQueues and ListDeadLetterSourceQueues (also the unpaged size)
 * @param maxMoveTasksListed MaxResults of ListMessageMoveTasks
 * @param maxMoveMessagesPerSecond MaxNumberOfMessagesPerSecond of a message move task
 * @param maxReceiveCountLimit highest maxReceiveCount of a RedrivePolicy
 * @param maxRedriveSourceQueueArns sourceQueueArns of a byQueue RedriveAllowPolicy
 * @param minKmsDataKeyReusePeriodSeconds lowest KmsDataKeyReusePeriodSeconds
 * @param defaultKmsDataKeyReusePeriodSeconds KmsDataKeyReusePeriodSeconds of a new queue
 * @param maxKmsDataKeyReusePeriodSeconds highest KmsDataKeyReusePeriodSeconds (24 h)
 * @param deduplicationIntervalSeconds FIFO deduplication window
 * @param purgeIntervalSeconds minimum time between two purges of a queue
 * @param queueNameReuseDelaySeconds time after DeleteQueue before the name may be created again
 * @param maxPolicyBytes size of a queue Policy document
 */
public record SqsLimits(
        int maxBatchEntries,
        int maxBatchPayloadBytes,
        int minMaximumMessageSizeBytes,
        int defaultMaximumMessageSizeBytes,
        int maxMaximumMessageSizeBytes,
        int maxWaitTimeSeconds,
        int defaultVisibilityTimeoutSeconds,
        int maxVisibilityTimeoutSeconds,
        int maxDelaySeconds,
        int minRetentionSeconds,
        int defaultRetentionSeconds,
        int maxRetentionSeconds,
        int maxInflightStandard,
        int maxInflightFifo,
        int maxReceiveMessages,
        int maxMessageAttributes,
        int maxMessageAttributeNameLength,
        int maxMessageAttributeTypeLength,
        int maxQueueNameLength,
        int maxBatchEntryIdLength,
        int maxMessageGroupIdLength,
        int maxDeduplicationIdLength,
        int maxReceiveRequestAttemptIdLength,
        int maxTagsPerQueue,
        int maxTagKeyLength,
        int maxTagValueLength,
        int maxListResults,
        int maxMoveTasksListed,
        int maxMoveMessagesPerSecond,
        int maxReceiveCountLimit,
        int maxRedriveSourceQueueArns,
        int minKmsDataKeyReusePeriodSeconds,
        int defaultKmsDataKeyReusePeriodSeconds,
        int maxKmsDataKeyReusePeriodSeconds,
        int deduplicationIntervalSeconds,
        int purgeIntervalSeconds,
        int queueNameReuseDelaySeconds,
        int maxPolicyBytes) {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    /** The ranges and defaults of numeric queue attributes, for the core's attribute codec. */
    public QueueAttributeBounds queueAttributeBounds() {
        return new QueueAttributeBounds(maxDelaySeconds, minMaximumMessageSizeBytes, defaultMaximumMessageSizeBytes,
                maxMaximumMessageSizeBytes, minRetentionSeconds, defaultRetentionSeconds, maxRetentionSeconds,
                maxWaitTimeSeconds, defaultVisibilityTimeoutSeconds, maxVisibilityTimeoutSeconds, maxReceiveCountLimit,
                maxRedriveSourceQueueArns, minKmsDataKeyReusePeriodSeconds, defaultKmsDataKeyReusePeriodSeconds,
                maxKmsDataKeyReusePeriodSeconds, maxPolicyBytes);
    }

    /** The limits the engine applies itself. */
    public EngineLimits engineLimits() {
        return new EngineLimits(maxInflightStandard, maxInflightFifo, deduplicationIntervalSeconds * 1000L);
    }

    /** Amazon SQS's limits (SQS quotas page and API reference, 2024). */
    public static SqsLimits defaults() {
        return new SqsLimits(
                10, MIB,
                KIB, 256 * KIB, MIB,
                20,
                30, 12 * 60 * 60,
                15 * 60,
                60, 4 * 24 * 60 * 60, 14 * 24 * 60 * 60,
                120_000, 120_000,
                10,
                10, 256, 256,
                80, 80, 128, 128, 128,
                50, 128, 256,
                1000, 10, 500,
                1000, 10,
                60, 300, 24 * 60 * 60,
                5 * 60, 60, 60,
                20 * KIB);
    }
}
