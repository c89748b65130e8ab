package dev.sluice.broker.service;

import dev.sluice.broker.auth.Caller;
import dev.sluice.broker.auth.policy.AccessRequest;
import dev.sluice.broker.auth.policy.Decision;
import dev.sluice.broker.auth.policy.PolicyAccessCheck;
import dev.sluice.broker.auth.policy.RequestContext;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a caller may perform an SQS action on a queue, by the queue's {@code Policy} attribute and the
 * caller's own permissions ({@link PolicyAccessCheck}). Refusals fail with SQS's {@code AccessDenied} (403).
 *
 * <p>Policy texts are cached per queue for {@code cacheFor}, so the hot path neither reads the queue nor parses
 * (parsed documents are cached by text); a policy set through another node applies here within that time, one set
 * through this node at once ({@link #forget}). The resource is the queue's own ARN in the owner account whatever
 * host or account the caller's URL names, so a URL alias cannot steer around a Deny. A missing queue or a
 * malformed URL passes: the action reports those. Thread-safe; never blocks.
 */
public final class QueueAccess {
    private static final int MAX_CACHED_POLICIES = 10_000;
    private static final String POLICY = "Policy";

    private final QueueClient queues;
    private final PolicyAccessCheck check;
    private final String region;
    private final long cacheForNanos;
    private final Map<String, CachedPolicy> policies = new ConcurrentHashMap<>();

    private record CachedPolicy(String policy, long expiresAtNanos) {
    }

    /** @param queues reads a queue's Policy attribute (the tenants' view: an internal queue is no queue here) */
    public QueueAccess(QueueClient queues, PolicyAccessCheck check, String region,
            Duration cacheFor) {
        this.queues = queues;
        this.check = check;
        this.region = region;
        this.cacheForNanos = cacheFor.toNanos();
    }

    /**
     * Completes when {@code caller} may perform {@code action} (an SQS action name, e.g. {@code SendMessageBatch})
     * on the queue at {@code queueUrl}; fails with AccessDenied when it may not.
     */
    public CompletableFuture<Void> authorize(Caller caller, RequestContext context, String action, String queueUrl) {
        Optional<QueueUrl> url = queueUrl == null ? Optional.empty() : QueueUrl.parse(queueUrl);
        if (url.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        QueueUrl queue = url.get();
        if (!caller.operator() && !queue.accountId().equals(caller.accountId())) {
            // Another account's queue: the caller's own view (AccountQueueClient) answers that it does not exist,
            // unless ownership rules allow it; reading its policy here would tell the caller that it does.
            return CompletableFuture.completedFuture(null);
        }
        String owner = queue.accountId();
        String name = owner + "/" + queue.queueName();
        String arn = queue.toArn(region);
        return policy(queueUrl, name).thenAccept(policy -> {
            if (policy == null) {
                return;
            }
            Decision decision = check.decide(new AccessRequest(caller, "sqs:" + action, arn, owner, context),
                    Optional.of(policy));
            if (decision != Decision.ALLOW) {
                throw SqsError.ACCESS_DENIED.exception("User: " + principal(caller) + " is not authorized to perform: sqs:"
                        + action + " on resource: " + arn + (decision == Decision.EXPLICIT_DENY
                                ? " with an explicit deny in a resource-based policy"
                                : " because no resource-based policy allows the sqs:" + action + " action"));
            }
        });
    }

    /** Drops the cached policy of a queue whose attributes were just set or which was deleted. */
    public void forget(String queueUrl) {
        QueueUrl.parse(queueUrl == null ? "" : queueUrl).ifPresent(url -> policies.remove(url.accountId() + "/" + url.queueName()));
    }

    private static String principal(Caller caller) {
        return caller.accessKeyId() == null ? "anonymous"
                : "arn:aws:iam::" + caller.accountId() + ":user/" + caller.accessKeyId();
    }

    /**
     * The queue's policy text ("" for none), or null, uncached, for a missing queue or another client error the
     * action itself reports. Server-side read failures fail the request (the SDKs retry a 503).
     */
    private CompletableFuture<String> policy(String queueUrl, String name) {
        CachedPolicy cached = policies.get(name);
        if (cached != null && cached.expiresAtNanos() - System.nanoTime() > 0) {
            return CompletableFuture.completedFuture(cached.policy());
        }
        return queues.getQueueAttributes(new GetQueueAttributesRequest(queueUrl, List.of(POLICY)))
                .handle((attributes, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                        // The caller's own mistake (no such queue, an invalid name): the action reports it the
                        // same way. An unavailable cluster fails the request: never allow without the policy.
                        if (cause instanceof SqsException e && e.error().httpStatus() < 500) {
                            return null;
                        }
                        throw failure instanceof CompletionException c ? c : new CompletionException(cause);
                    }
                    String policy = attributes.attributes().getOrDefault(POLICY, "");
                    if (policies.size() >= MAX_CACHED_POLICIES) {
                        policies.clear();
                    }
                    policies.put(name, new CachedPolicy(policy, System.nanoTime() + cacheForNanos));
                    return policy;
                });
    }
}
