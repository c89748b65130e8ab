package dev.sluice.faasbridge.service;

/**
 * Where the bridge reports the function invocations it bills at its edge: one call per invocation that ran (an SNS
 * subscription's notification or an event source mapping's batch, while {@link #billedInLog} is false; whatever the
 * function answered, a timeout included), none for an invocation that never started (an unknown function, no
 * concurrency left). The bridge does not know how usage is
 * kept: the server's composition root records it as the function owner's usage. Called from the invokers' completion
 * threads; implementations must be thread-safe and must not block.
 */
public interface InvocationUsage {
    /** Keeps nothing: for a bridge without metering (the standalone bridge, tests of invocation alone). */
    InvocationUsage NONE = (functionOwner, durationMillis) -> { };

    /**
     * One invocation that ran.
     *
     * @param functionOwner the account that owns the function, who pays for its invocations
     * @param durationMillis how long it ran, rounded up to the millisecond (at least 1), as Lambda bills duration
     */
    void invoked(String functionOwner, long durationMillis);

    /**
     * Completes with true when the queue engine bills invocations itself: the bill then goes with the delete of the
     * messages the invocation handled ({@code DeleteMessageBatchRequest#invocationBill}; a mapping's bridge sends it,
     * an SNS subscription's delivery worker gets it in {@link NotificationInvocation#bill}), billed in the apply of the
     * delete that removes one of them, and {@link #invoked} is not called for it. False (a node of the cluster does not
     * know that delete yet, or nothing is metered): {@link #invoked}.
     */
    default java.util.concurrent.CompletableFuture<Boolean> billedInLog() {
        return java.util.concurrent.CompletableFuture.completedFuture(false);
    }
}
