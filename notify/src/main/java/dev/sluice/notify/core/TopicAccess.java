package dev.sluice.notify.core;

/**
 * The access decisions on topics, by the topic's {@code Policy} and the caller's own permissions. Implemented by the
 * server's IAM policy evaluator (broker's {@code auth.policy}), which notify cannot depend on; handed to
 * {@link dev.sluice.notify.service.NotifyService} at wiring. Thread-safe; called on request threads, never blocks.
 */
public interface TopicAccess {

    /** IAM's three outcomes; the deny kind shapes the AuthorizationError message. */
    enum Decision { ALLOW, EXPLICIT_DENY, IMPLICIT_DENY }

    /**
     * Checks a Policy attribute value before it is stored (empty: no policy).
     *
     * @throws dev.sluice.clientsdk.SnsException InvalidParameter ({@code Policy Error: ...}) for a policy that cannot
     *     be evaluated faithfully
     */
    void validate(String policy);

    /**
     * Whether {@code caller} may perform {@code action} (an SNS action name, e.g. {@code Publish}) on the topic.
     *
     * @param policy the topic's Policy attribute, null or empty when it has none
     */
    Decision decide(Caller caller, String action, String topicArn, String ownerAccountId, String policy);

    /** Whether {@code caller} is an operator, who reaches every account's topics and subscriptions. Default: none is. */
    default boolean operator(Caller caller) {
        return false;
    }

    /**
     * Whether a topic may deliver to a queue of another account: the queue's Policy, read as the SQS edge reads it,
     * allows {@code sqs:SendMessage} to SNS acting for the topic ({@code aws:SourceArn}, {@code aws:SourceAccount}).
     * False for a missing queue. Default: never.
     */
    default java.util.concurrent.CompletableFuture<Boolean> topicMaySendTo(String topicArn, String topicAccount,
            String queueArn) {
        return java.util.concurrent.CompletableFuture.completedFuture(false);
    }

    /**
     * The most topics {@code account} may own (its topics quota); 0 for no limit. CreateTopic of a new topic beyond it
     * fails with TopicLimitExceeded. Default: no limit.
     */
    default long topicQuota(String account) {
        return 0;
    }

    /**
     * The most subscriptions {@code account} may own (its subscriptions quota); 0 for no limit. Subscribe beyond it
     * fails with SubscriptionLimitExceeded. Default: no limit.
     */
    default long subscriptionQuota(String account) {
        return 0;
    }

    /**
     * Why a Publish or PublishBatch of {@code payloadBytes} (messages and attributes) on a topic of {@code topicOwner}
     * is refused (the owner is at its stored-bytes quota), or null. A refused publish fails with OverLimit and
     * stores nothing. Default: never refused.
     */
    default String publishRefusal(String topicOwner, long payloadBytes) {
        return null;
    }

    /**
     * Whether count quotas are checked and claimed in the create's own catalog write (every node of the cluster knows
     * that catalog command: feature level 2), so that creates racing for the last slot cannot both take it; else they
     * are counted before the create only. Default: not.
     */
    default java.util.concurrent.CompletableFuture<Boolean> exactCountQuotas() {
        return java.util.concurrent.CompletableFuture.completedFuture(false);
    }
}
