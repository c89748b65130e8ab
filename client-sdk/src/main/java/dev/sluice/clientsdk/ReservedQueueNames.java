package dev.sluice.clientsdk;

/**
 * Queue names reserved for Sluice's own queues (topic outboxes, webhook delivery queues): tenants can
 * neither create nor list nor name them in any client-facing action, operators see their depth in metrics
 * and through the in-process client. The prefix is valid in SQS queue names, so these stay ordinary queues.
 */
public final class ReservedQueueNames {
    public static final String PREFIX = "sluice-internal-";

    private ReservedQueueNames() {
    }

    /**
     * True for a name under {@link #PREFIX} in any letter case: queue names are case-sensitive, but a tenant's
     * {@code SLUICE-INTERNAL-x} would pass for one of ours in every listing an operator reads.
     */
    public static boolean isReserved(String queueName) {
        return queueName != null && queueName.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** True for an ARN whose last segment, the queue name, is reserved, whatever its partition, region or account. */
    public static boolean isReservedArn(String arn) {
        return arn != null && isReserved(arn.substring(arn.lastIndexOf(':') + 1));
    }
}
