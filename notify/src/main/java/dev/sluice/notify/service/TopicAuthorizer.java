package dev.sluice.notify.service;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.notify.core.Caller;
import dev.sluice.notify.core.TopicAccess;
import dev.sluice.notify.core.TopicArn;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a caller may perform a topic-scoped action, by the topic's {@code Policy} and the caller's own
 * permissions ({@link TopicAccess}: IAM's evaluation logic). Refusals fail with SNS's {@code AuthorizationError}
 * (403). Policy texts are cached per topic for {@code cacheFor} (the notify refresh interval), so a policy set on
 * another node applies here within that time; on this node setting or deleting it applies at once
 * ({@link #forget}). A missing topic or a malformed ARN passes: the action reports those. Thread-safe.
 */
public final class TopicAuthorizer {
    private static final int MAX_CACHED_POLICIES = 10_000;

    private final NotifyCatalog catalog;
    private final TopicAccess access;
    private final String region;
    private final String accountId;
    private final long cacheForNanos;
    private final Map<String, CachedPolicy> policies = new ConcurrentHashMap<>();

    /** {@code policy} empty for a topic without one. */
    private record CachedPolicy(String policy, long expiresAtNanos) {
    }

    public TopicAuthorizer(NotifyCatalog catalog, TopicAccess access, String region, String accountId,
            Duration cacheFor) {
        this.catalog = catalog;
        this.access = access;
        this.region = region;
        this.accountId = accountId;
        this.cacheForNanos = cacheFor.toNanos();
    }

    /**
     * Completes when {@code caller} may perform {@code action} (an SNS action name, e.g. {@code Publish}) on
     * {@code topicArn}; fails with AuthorizationError when it may not. The policy's resources are matched against
     * the topic's own ARN: the actions find a topic by its name alone, so the region, account or partition a
     * caller writes must not steer around a Deny.
     */
    public CompletableFuture<Void> authorize(Caller caller, String action, String topicArn) {
        Optional<TopicArn> arn = topicArn == null ? Optional.empty() : TopicArn.parse(topicArn);
        if (arn.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String resource = new TopicArn(region, accountId, arn.get().topicName()).toString();
        return policy(arn.get().topicName()).thenAccept(policy -> {
            if (policy.isEmpty()) {
                return; // no such topic: the action answers NotFound
            }
            TopicAccess.Decision decision = access.decide(caller, action, resource, accountId, policy.get());
            if (decision != TopicAccess.Decision.ALLOW) {
                throw SnsError.AUTHORIZATION_ERROR.exception("User: " + caller.principal(accountId)
                        + " is not authorized to perform: SNS:" + action + " on resource: " + resource
                        + (decision == TopicAccess.Decision.EXPLICIT_DENY
                                ? " with an explicit deny in a resource-based policy"
                                : " because no resource-based policy allows the SNS:" + action + " action"));
            }
        });
    }

    /** Drops the cached policy of a topic whose Policy was just set or which was deleted. */
    public void forget(String topicArn) {
        TopicArn.parse(topicArn == null ? "" : topicArn).ifPresent(arn -> policies.remove(arn.topicName()));
    }

    /** The topic's policy text ("" for none), or empty, uncached, for a missing topic. */
    private CompletableFuture<Optional<String>> policy(String topicName) {
        CachedPolicy cached = policies.get(topicName);
        if (cached != null && cached.expiresAtNanos() - System.nanoTime() > 0) {
            return CompletableFuture.completedFuture(Optional.of(cached.policy()));
        }
        return catalog.topic(topicName).thenApply(found -> {
            if (found.isEmpty()) {
                // Not cached: a CreateTopic with a Policy (here or on another node) must apply at once.
                return Optional.empty();
            }
            String policy = found.get().attributes().getOrDefault("Policy", "");
            if (policies.size() >= MAX_CACHED_POLICIES) {
                policies.clear();
            }
            policies.put(topicName, new CachedPolicy(policy, System.nanoTime() + cacheForNanos));
            return Optional.of(policy);
        });
    }
}
