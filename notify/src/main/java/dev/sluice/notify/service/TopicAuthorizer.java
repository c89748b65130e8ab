package dev.sluice.notify.service;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.notify.core.Caller;
import dev.sluice.notify.core.TopicArn;
import dev.sluice.notify.core.TopicPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a caller may perform a topic-scoped action, by the topic's {@code Policy} (see
 * {@link TopicPolicy}: only an explicit Deny refuses). Refusals fail with SNS's {@code AuthorizationError}
 * (403). Parsed policies are cached per topic for {@code cacheFor} (the notify refresh interval), so a
 * policy set on another node applies here within that time; on this node setting or deleting it applies
 * at once ({@link #forget}). A missing topic or a malformed ARN passes: the action reports those. Thread-safe.
 */
public final class TopicAuthorizer {
    private static final int MAX_CACHED_POLICIES = 10_000;

    private final NotifyCatalog catalog;
    private final String region;
    private final String accountId;
    private final long cacheForNanos;
    private final Map<String, CachedPolicy> policies = new ConcurrentHashMap<>();

    /** {@code policy} null: unreadable, see {@link #readable}. */
    private record CachedPolicy(TopicPolicy policy, long expiresAtNanos) {
    }

    public TopicAuthorizer(NotifyCatalog catalog, String region, String accountId, Duration cacheFor) {
        this.catalog = catalog;
        this.region = region;
        this.accountId = accountId;
        this.cacheForNanos = cacheFor.toNanos();
    }

    /**
     * Completes when {@code caller} may perform {@code action} (an SNS action name, e.g. {@code Publish}) on
     * {@code topicArn}; fails with AuthorizationError when the topic's policy denies it. The policy's resources
     * are matched against the topic's own ARN: the actions find a topic by its name alone, so the region,
     * account or partition a caller writes must not steer around a Deny.
     */
    public CompletableFuture<Void> authorize(Caller caller, String action, String topicArn) {
        Optional<TopicArn> arn = topicArn == null ? Optional.empty() : TopicArn.parse(topicArn);
        if (arn.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String resource = new TopicArn(region, accountId, arn.get().topicName()).toString();
        return policy(arn.get().topicName()).thenAccept(policy -> {
            boolean denied = policy == null ? !action.equals("SetTopicAttributes")
                    : policy.denies(caller, accountId, action, resource);
            if (denied) {
                throw SnsError.AUTHORIZATION_ERROR.exception("User: " + caller.principal(accountId)
                        + " is not authorized to perform: SNS:" + action + " on resource: " + resource
                        + " with an explicit deny in a resource-based policy");
            }
        });
    }

    /** Drops the cached policy of a topic whose Policy was just set or which was deleted. */
    public void forget(String topicArn) {
        TopicArn.parse(topicArn == null ? "" : topicArn).ifPresent(arn -> policies.remove(arn.topicName()));
    }

    /**
     * The parsed policy, or null for one stored before policies were checked that this version cannot
     * evaluate: such a topic fails closed, every action denied but SetTopicAttributes (to replace it).
     */
    private static TopicPolicy readable(String json) {
        try {
            return TopicPolicy.parse(json);
        } catch (SnsException e) {
            return null;
        }
    }

    /** The topic's policy (null when unreadable, see {@link #readable}); ALLOW_ALL, uncached, for a missing topic. */
    private CompletableFuture<TopicPolicy> policy(String topicName) {
        CachedPolicy cached = policies.get(topicName);
        if (cached != null && cached.expiresAtNanos() - System.nanoTime() > 0) {
            return CompletableFuture.completedFuture(cached.policy());
        }
        return catalog.topic(topicName).thenApply(found -> {
            if (found.isEmpty()) {
                // Not cached: a CreateTopic with a Policy (here or on another node) must apply at once.
                return TopicPolicy.ALLOW_ALL;
            }
            TopicPolicy policy = readable(found.get().attributes().get("Policy"));
            if (policies.size() >= MAX_CACHED_POLICIES) {
                policies.clear();
            }
            policies.put(topicName, new CachedPolicy(policy, System.nanoTime() + cacheForNanos));
            return policy;
        });
    }
}
