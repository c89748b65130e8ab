package dev.sluice.clientsdk;

/**
 * Queue names reserved for Sluice's own queues (topic outboxes, webhook delivery queues): tenants can
 * neither create nor list them through the SQS API, operators see their depth in metrics and through the
 * in-process client. The prefix is valid in SQS queue names, so these stay ordinary queues.
 */
public final class ReservedQueueNames {
    public static final String PREFIX = "sluice-internal-";

    private ReservedQueueNames() {
    }

    public static boolean isReserved(String queueName) {
        return queueName != null && queueName.startsWith(PREFIX);
    }
}
