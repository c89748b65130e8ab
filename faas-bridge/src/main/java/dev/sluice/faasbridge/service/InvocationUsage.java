package dev.sluice.faasbridge.service;

/**
 * Where the bridge reports the function invocations it bills: one call per invocation that ran (an event source
 * mapping's batch or an SNS subscription's notification, whatever the function answered, a timeout included), none for
 * an invocation that never started (an unknown function, no concurrency left). The bridge does not know how usage is
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
}
