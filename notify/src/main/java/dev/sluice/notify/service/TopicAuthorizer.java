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
 * ({@link #forget}). A topic belongs to the account its ARN names; a caller of another account needs both its own
 * permissions and the topic's Policy (IAM's rule across accounts), and a missing topic of another account is refused
 * as an existing one is (no policy allows it), so another account's topic names are not disclosed. A missing topic of
 * the caller's own account or a malformed ARN passes: the action reports those. Thread-safe.
 */
public final class TopicAuthorizer {
    private static final int MAX_CACHED_POLICIES = 10_000;

    private final NotifyCatalog catalog;
    private final TopicAccess access;
    private final String region;
    /** The account of bare catalog keys and of callers the server names none for. */
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
        String owner = arn.get().accountId();
        String resource = new TopicArn(region, owner, arn.get().topicName()).toString();
        boolean ownAccount = owner.equals(caller.account(accountId));
        return policy(arn.get().qualifiedName(accountId)).thenAccept(policy -> {
            if (policy.isEmpty() && ownAccount) {
                return; // no such topic: the action answers NotFound
            }
            TopicAccess.Decision decision = access.decide(caller, action, resource, owner, policy.orElse(""));
            if (decision != TopicAccess.Decision.ALLOW) {
                throw SnsError.AUTHORIZATION_ERROR.exception("User: " + caller.principal(caller.account(accountId))
                        + " is not authorized to perform: SNS:" + action + " on resource: " + resource
                        + (decision == TopicAccess.Decision.EXPLICIT_DENY
                                ? " with an explicit deny in a resource-based policy"
                                : " because no resource-based policy allows the SNS:" + action + " action"));
            }
        });
    }

    /** Drops the cached policy of a topic whose Policy was just set or which was deleted. */
    public void forget(String topicArn) {
        TopicArn.parse(topicArn == null ? "" : topicArn).ifPresent(arn -> policies.remove(arn.qualifiedName(accountId)));
    }

    /** The topic's policy text ("" for none), or empty, uncached, for a missing topic. */
    private CompletableFuture<Optional<String>> policy(String topicKey) {
        CachedPolicy cached = policies.get(topicKey);
        if (cached != null && cached.expiresAtNanos() - System.nanoTime() > 0) {
            return CompletableFuture.completedFuture(Optional.of(cached.policy()));
        }
        return catalog.topic(topicKey).thenApply(found -> {
            if (found.isEmpty()) {
                // Not cached: a CreateTopic with a Policy (here or on another node) must apply at once.
                return Optional.empty();
            }
            String policy = found.get().attributes().getOrDefault("Policy", "");
            if (policies.size() >= MAX_CACHED_POLICIES) {
                policies.clear();
            }
            policies.put(topicKey, new CachedPolicy(policy, System.nanoTime() + cacheForNanos));
            return Optional.of(policy);
        });
    }
}
