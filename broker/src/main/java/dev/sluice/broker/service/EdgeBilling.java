package dev.sluice.broker.service;

import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.faasbridge.service.InvocationUsage;
import dev.sluice.notify.service.DeliveryUsage;

/**
 * Turns the deliveries notify reports and the invocations the function bridge reports into billing units, counted by
 * this node's {@link EdgeUsage} (so flushed to data group 0 as idempotent {@code RecordUsage} commands): a delivered
 * copy is one delivery of its protocol per started 64 KiB chunk, as SNS bills deliveries (and an http or https copy's
 * bytes are bytes out), billed to the topic's owner; an invocation is one invocation and its milliseconds, billed to the
 * function's owner. Thread-safe.
 */
public final class EdgeBilling implements DeliveryUsage, InvocationUsage {
    private final EdgeUsage usage;
    private final FeatureLatch deliveriesInLog;

    /**
     * @param deliveriesInLog whether every node knows the send that bills sqs deliveries and the delete that bills an
     *     invocation in their applies (feature level 3)
     */
    public EdgeBilling(EdgeUsage usage, FeatureLatch deliveriesInLog) {
        this.usage = usage;
        this.deliveriesInLog = deliveriesInLog;
    }

    @Override
    public java.util.concurrent.CompletableFuture<Boolean> billedInLog() {
        return deliveriesInLog.reached();
    }

    @Override
    public void delivered(String topicOwner, String protocol, long bodyBytes) {
        UsageKind kind = UsageKind.ofDeliveryProtocol(protocol);
        // Subscribe accepts no other protocol; never fail a delivery over its bill.
        if (kind == null) {
            return;
        }
        usage.record(topicOwner, kind, UsageMeter.requests(bodyBytes));
        if (kind == UsageKind.SNS_DELIVERIES_HTTP) {
            usage.record(topicOwner, UsageKind.SNS_HTTP_BYTES_OUT, bodyBytes);
        }
    }

    @Override
    public void invoked(String functionOwner, long durationMillis) {
        usage.record(functionOwner, UsageKind.FUNCTION_INVOCATIONS, 1);
        usage.record(functionOwner, UsageKind.FUNCTION_DURATION_MILLIS, Math.max(1, durationMillis));
    }
}
