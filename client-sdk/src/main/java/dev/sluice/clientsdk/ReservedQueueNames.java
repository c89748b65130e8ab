package dev.sluice.clientsdk;

/**
 * Queue names reserved for Sluice's own queues (topic outboxes, webhook delivery queues): tenants can
 * neither create nor list nor name them in any client-facing action, operators see their depth in metrics
 * and through the in-process client. The prefix is valid in SQS queue names, so these stay ordinary queues.
 */
public final class ReservedQueueNames {
    public static final String PREFIX = "sluice-internal-";

    /**
     * The message attribute by which a message sent to an internal queue names whom it bills and for what: a topic
     * publish into its outbox carries {@code "<account> <payload bytes>"} (see {@link #billing}), so that the queue
     * engine meters an SNS publish in the same apply that makes it durable. Honoured on internal queues only, which
     * no tenant can send to.
     */
    public static final String BILLING_ATTRIBUTE = "Sluice.Billing";

    /**
     * The message attribute by which a copy in a push subscription's delivery queue (an internal queue) names whom
     * its delivery bills: {@code "<topic owner> <protocol> <bytes delivered>"} (see {@link #delivery}). Billed by the
     * queue engine when a delete entry named {@link #DELIVERED_ENTRY_ID} removes the copy.
     */
    public static final String DELIVERY_ATTRIBUTE = "Sluice.Delivery";
    /**
     * The DeleteMessageBatch entry id by which a delivery worker deletes a copy its endpoint accepted: that delete, if
     * it removes the copy, bills the delivery (a delete of a copy given up on uses another id and bills nothing).
     */
    public static final String DELIVERED_ENTRY_ID = "delivered";

    /**
     * The attribute by which a topic's outbox message that a fanout stored again (some copies were refused) names the
     * attempts made and the subscriptions still owed a copy: {@code "<attempts> <subscription id>,<subscription id>..."}
     * (see {@link #retryFor}). Written by the queue engine's fan-out apply, read by the topic's fanout.
     */
    public static final String RETRY_FOR_ATTRIBUTE = "Sluice.RetryFor";

    private ReservedQueueNames() {
    }

    /** The value of {@link #BILLING_ATTRIBUTE} for a publish by {@code account} of {@code payloadBytes}. */
    public static String billing(String account, long payloadBytes) {
        return account + " " + payloadBytes;
    }

    /** The value of {@link #DELIVERY_ATTRIBUTE} for a delivery over {@code protocol} of {@code bytes}, billed to {@code account}. */
    public static String delivery(String account, String protocol, long bytes) {
        return account + " " + protocol + " " + bytes;
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

    /** The value of {@link #RETRY_FOR_ATTRIBUTE} after {@code attempts} attempts, owing copies to {@code subscriptionIds}. */
    public static String retryFor(int attempts, java.util.List<String> subscriptionIds) {
        return attempts + " " + String.join(",", subscriptionIds);
    }
}
