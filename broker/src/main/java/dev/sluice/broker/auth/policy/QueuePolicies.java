package dev.sluice.broker.auth.policy;

import dev.sluice.broker.auth.AccessCheck;
import dev.sluice.broker.auth.Caller;
import dev.sluice.clientsdk.QueueUrl;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one read of a queue's {@code Policy} for every access decision that needs it: SQS requests on a queue (the
 * tenants' edge) and SNS asking whether a topic may send to a queue of another account. Both read the Policy as this
 * node holds it ({@link Source}: its replica, no cluster read) and have it judged by the one {@link AccessCheck} (the
 * server's {@link PolicyAccessCheck} parses each Policy once, in its {@link PolicyCache}), so a Policy its owner sets or withdraws takes effect on both paths alike.
 * Thread-safe; never blocks.
 */
public final class QueuePolicies {

    /** Where a queue's Policy is read: as this node holds it, by qualified name ({@link QueueUrl#qualifiedName}). */
    @FunctionalInterface
    public interface Source {
        /** Empty for a queue without a Policy or a missing queue. */
        CompletableFuture<Optional<String>> of(String qualifiedName);
    }

    private final Source source;
    private final AccessCheck check;
    private final String defaultAccount;

    /**
     * @param defaultAccount the account whose queues' qualified names are their bare names
     */
    public QueuePolicies(Source source, AccessCheck check, String defaultAccount) {
        this.source = source;
        this.check = check;
        this.defaultAccount = defaultAccount;
    }

    /** The access check every decision on a queue is made by. */
    public AccessCheck access() {
        return check;
    }

    /** The Policy of the queue with this qualified name; empty without one or for a missing queue. */
    public CompletableFuture<Optional<String>> of(String qualifiedName) {
        return source.of(qualifiedName);
    }

    /**
     * Whether SNS acting for topic {@code topicArn} (of {@code topicAccount}) may SendMessage to queue {@code queueArn}:
     * a service request in the topic's account ({@code aws:SourceArn}, {@code aws:SourceAccount}), judged by the queue's
     * Policy alone. False for a missing queue or an ARN that names no queue.
     */
    public CompletableFuture<Boolean> topicMaySendTo(String topicArn, String topicAccount, String queueArn) {
        Optional<QueueUrl> queue = QueueUrl.ofArn(queueArn);
        if (queue.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        AccessRequest request = new AccessRequest(new Caller(topicAccount, null, false), "sqs:SendMessage", queueArn,
                queue.get().accountId(), RequestContext.onBehalfOf("sns.amazonaws.com", topicArn, topicAccount));
        return source.of(queue.get().qualifiedName(defaultAccount))
                .thenApply(policy -> check.decide(request, policy) == Decision.ALLOW);
    }
}
