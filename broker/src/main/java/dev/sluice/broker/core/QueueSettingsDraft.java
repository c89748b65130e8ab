package dev.sluice.broker.core;

import dev.sluice.broker.core.QueueSettings.DeduplicationScope;
import dev.sluice.broker.core.QueueSettings.FifoThroughputLimit;
import dev.sluice.broker.core.QueueSettings.RedriveAllowPolicy;
import dev.sluice.broker.core.QueueSettings.RedrivePolicy;

/** The mutable working copy {@link QueueAttributeCodec} applies attributes to; confined to one call. */
final class QueueSettingsDraft {

    int delaySeconds;
    int maximumMessageSizeBytes;
    int messageRetentionPeriodSeconds;
    int receiveMessageWaitTimeSeconds;
    int visibilityTimeoutSeconds;
    RedrivePolicy redrivePolicy;
    RedriveAllowPolicy redriveAllowPolicy;
    String policy;
    final boolean fifoQueue;
    Boolean contentBasedDeduplication;
    DeduplicationScope deduplicationScope;
    FifoThroughputLimit fifoThroughputLimit;
    String kmsMasterKeyId;
    int kmsDataKeyReusePeriodSeconds;
    boolean sqsManagedSseEnabled;

    QueueSettingsDraft(QueueSettings settings) {
        delaySeconds = settings.delaySeconds();
        maximumMessageSizeBytes = settings.maximumMessageSizeBytes();
        messageRetentionPeriodSeconds = settings.messageRetentionPeriodSeconds();
        receiveMessageWaitTimeSeconds = settings.receiveMessageWaitTimeSeconds();
        visibilityTimeoutSeconds = settings.visibilityTimeoutSeconds();
        redrivePolicy = settings.redrivePolicy();
        redriveAllowPolicy = settings.redriveAllowPolicy();
        policy = settings.policy();
        fifoQueue = settings.fifoQueue();
        contentBasedDeduplication = settings.contentBasedDeduplication();
        deduplicationScope = settings.deduplicationScope();
        fifoThroughputLimit = settings.fifoThroughputLimit();
        kmsMasterKeyId = settings.kmsMasterKeyId();
        kmsDataKeyReusePeriodSeconds = settings.kmsDataKeyReusePeriodSeconds();
        sqsManagedSseEnabled = settings.sqsManagedSseEnabled();
    }

    QueueSettings build() {
        return new QueueSettings(delaySeconds, maximumMessageSizeBytes, messageRetentionPeriodSeconds,
                receiveMessageWaitTimeSeconds, visibilityTimeoutSeconds, redrivePolicy, redriveAllowPolicy, policy,
                fifoQueue, contentBasedDeduplication, deduplicationScope, fifoThroughputLimit, kmsMasterKeyId,
                kmsDataKeyReusePeriodSeconds, sqsManagedSseEnabled);
    }
}
