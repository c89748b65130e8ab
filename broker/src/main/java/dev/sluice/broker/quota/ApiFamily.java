package dev.sluice.broker.quota;

import dev.sluice.broker.accounts.AccountQuotas.Quota;

/**
 * The request-rate families an account's calls are counted in, each with its own quota. Every request a tenant can
 * make falls in exactly one family (an action the edge cannot name counts as its service's "other" family), so no
 * spelling of a request escapes rate limiting.
 */
public enum ApiFamily {
    /** SQS SendMessage, SendMessageBatch; REST POST of queue messages. */
    SQS_SEND(Quota.SQS_SEND_PER_SECOND),
    /** SQS ReceiveMessage; REST reads of queue messages. */
    SQS_RECEIVE(Quota.SQS_RECEIVE_PER_SECOND),
    /** Every other SQS action and REST call on queues (and any other REST path a tenant may reach). */
    SQS_OTHER(Quota.SQS_OTHER_PER_SECOND),
    /** SNS Publish, PublishBatch; REST publish to a topic. */
    SNS_PUBLISH(Quota.SNS_PUBLISH_PER_SECOND),
    /** Every other SNS action and REST call on topics. */
    SNS_OTHER(Quota.SNS_OTHER_PER_SECOND),
    /** REST calls on functions, event source mappings and their activity. */
    FUNCTIONS(Quota.FUNCTIONS_PER_SECOND);

    private final Quota quota;

    ApiFamily(Quota quota) {
        this.quota = quota;
    }

    /** The account quota that sets this family's cluster-wide rate. */
    public Quota quota() {
        return quota;
    }
}
