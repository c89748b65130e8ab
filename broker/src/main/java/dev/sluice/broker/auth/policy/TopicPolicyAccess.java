package dev.sluice.broker.auth.policy;

import dev.sluice.broker.auth.Caller;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.notify.core.TopicAccess;
import java.util.Optional;
import java.util.function.Function;

/**
 * Notify's topic access decisions, made by the policy evaluator: a topic Policy is validated with the parser when
 * set (refused as SNS's {@code InvalidParameter}, {@code Policy Error: ...}) and evaluated with the caller's
 * identity on every topic-scoped action. Thread-safe.
 */
public final class TopicPolicyAccess implements TopicAccess {
    private final PolicyAccessCheck check;
    private final Function<dev.sluice.notify.core.Caller, Caller> callers;
    private final java.util.function.ToLongFunction<String> topicQuota;
    private final java.util.function.ToLongFunction<String> subscriptionQuota;
    private final java.util.function.BiFunction<String, Long, String> publishRefusal;
    private final java.util.function.Supplier<java.util.concurrent.CompletableFuture<Boolean>> exactCountQuotas;
    private final QueuePolicies queuePolicies;

    /** @param callers who notify's caller is: its account, key, and whether it is an operator */
    public TopicPolicyAccess(PolicyAccessCheck check, Function<dev.sluice.notify.core.Caller, Caller> callers) {
        this(check, callers, account -> 0, account -> 0, (account, bytes) -> null);
    }

    /**
     * @param topicQuota each account's topics quota (0: no limit), as {@link #topicQuota} answers it
     * @param subscriptionQuota each account's subscriptions quota (0: no limit)
     * @param publishRefusal why a publish of so many payload bytes by a topic's owner is refused, or null (see
     *        {@link #publishRefusal})
     */
    public TopicPolicyAccess(PolicyAccessCheck check, Function<dev.sluice.notify.core.Caller, Caller> callers,
            java.util.function.ToLongFunction<String> topicQuota, java.util.function.ToLongFunction<String> subscriptionQuota,
            java.util.function.BiFunction<String, Long, String> publishRefusal) {
        this(check, callers, topicQuota, subscriptionQuota, publishRefusal,
                () -> java.util.concurrent.CompletableFuture.completedFuture(false),
                new QueuePolicies(name -> java.util.concurrent.CompletableFuture.completedFuture(Optional.empty()), check,
                        ""));
    }

    /**
     * @param exactCountQuotas whether the cluster's feature level lets a create claim its quota slot in its own write
     * @param queuePolicies the queues' Policies, read and parsed as the SQS edge reads them
     */
    public TopicPolicyAccess(PolicyAccessCheck check, Function<dev.sluice.notify.core.Caller, Caller> callers,
            java.util.function.ToLongFunction<String> topicQuota, java.util.function.ToLongFunction<String> subscriptionQuota,
            java.util.function.BiFunction<String, Long, String> publishRefusal,
            java.util.function.Supplier<java.util.concurrent.CompletableFuture<Boolean>> exactCountQuotas,
            QueuePolicies queuePolicies) {
        this.queuePolicies = queuePolicies;
        this.publishRefusal = publishRefusal;
        this.exactCountQuotas = exactCountQuotas;
        this.check = check;
        this.callers = callers;
        this.topicQuota = topicQuota;
        this.subscriptionQuota = subscriptionQuota;
    }

    @Override
    public long subscriptionQuota(String account) {
        return subscriptionQuota.applyAsLong(account);
    }

    @Override
    public String publishRefusal(String topicOwner, long payloadBytes) {
        return publishRefusal.apply(topicOwner, payloadBytes);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Boolean> exactCountQuotas() {
        return exactCountQuotas.get();
    }

    @Override
    public long topicQuota(String account) {
        return topicQuota.applyAsLong(account);
    }

    @Override
    public void validate(String policy) {
        if (policy == null || policy.isBlank()) {
            return;
        }
        try {
            PolicyParser.resource(policy, "sns");
        } catch (PolicyRefused refused) {
            throw SnsError.invalidParameter("Policy Error: " + refused.getMessage());
        }
    }

    @Override
    public Decision decide(dev.sluice.notify.core.Caller caller, String action, String topicArn, String ownerAccountId,
            String policy) {
        RequestContext context = new RequestContext(caller.sourceIp(), caller.secureTransport(), null, null, null);
        AccessRequest request = new AccessRequest(callers.apply(caller), "sns:" + action, topicArn, ownerAccountId,
                context);
        return switch (check.decide(request, Optional.ofNullable(policy))) {
            case ALLOW -> Decision.ALLOW;
            case EXPLICIT_DENY -> Decision.EXPLICIT_DENY;
            case IMPLICIT_DENY -> Decision.IMPLICIT_DENY;
        };
    }

    @Override
    public boolean operator(dev.sluice.notify.core.Caller caller) {
        return callers.apply(caller).operator();
    }

    /** SNS acting for the topic, judged by the queue's Policy as the SQS edge reads it ({@link QueuePolicies}). */
    @Override
    public java.util.concurrent.CompletableFuture<Boolean> topicMaySendTo(String topicArn, String topicAccount,
            String queueArn) {
        return queuePolicies.topicMaySendTo(topicArn, topicAccount, queueArn);
    }
}
