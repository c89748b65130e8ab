package dev.sluice.broker.core;

/**
 * The ranges and defaults of numeric queue attributes (seconds and bytes, as on the wire). The
 * values come from the service layer's {@code SqsLimits}, so that limits live in one record.
 */
public record QueueAttributeBounds(
        int maxDelaySeconds,
        int minMaximumMessageSizeBytes,
        int defaultMaximumMessageSizeBytes,
        int maxMaximumMessageSizeBytes,
        int minRetentionSeconds,
        int defaultRetentionSeconds,
        int maxRetentionSeconds,
        int maxWaitTimeSeconds,
        int defaultVisibilityTimeoutSeconds,
        int maxVisibilityTimeoutSeconds,
        int maxReceiveCount,
        int maxRedriveSourceQueueArns,
        int minKmsDataKeyReusePeriodSeconds,
        int defaultKmsDataKeyReusePeriodSeconds,
        int maxKmsDataKeyReusePeriodSeconds,
        int maxPolicyBytes) {
}
