package dev.sluice.faasbridge.service;

import dev.sluice.clientsdk.model.InvocationBill;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * How the bridge bills a function invocation that ran: one invocation and its duration (rounded up to the millisecond,
 * at least 1, as Lambda bills it) to the function's owner, either counted at this node's edge ({@link #atEdge}) or
 * carried by the delete of the messages it handled ({@link #bill}) when the queue engine bills it there
 * ({@link #billedInLog}). Thread-safe.
 */
final class InvocationMeter {
    private static final long NANOS_PER_MILLI = 1_000_000;

    private final InvocationUsage usage;
    private final UnaryOperator<String> ownerOfFunction;

    /** @param ownerOfFunction the account of a function's stored (qualified) name */
    InvocationMeter(InvocationUsage usage, UnaryOperator<String> ownerOfFunction) {
        this.usage = usage;
        this.ownerOfFunction = ownerOfFunction;
    }

    /** The milliseconds an invocation of {@code elapsedNanos} bills: rounded up, at least 1. */
    static long billedMillis(long elapsedNanos) {
        return Math.max(1, (Math.max(0, elapsedNanos) + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI);
    }

    /** Counts the invocation at this node's edge now. */
    void atEdge(String functionName, long elapsedNanos) {
        usage.invoked(ownerOfFunction.apply(functionName), billedMillis(elapsedNanos));
    }

    /** The bill a delete of the invocation's messages carries. */
    InvocationBill bill(String functionName, long elapsedNanos) {
        return new InvocationBill(ownerOfFunction.apply(functionName), billedMillis(elapsedNanos));
    }

    /** Whether deletes carrying a bill are billed by the queue engine (else: {@link #atEdge}); never fails. */
    CompletableFuture<Boolean> billedInLog() {
        try {
            return usage.billedInLog().exceptionally(unknown -> false);
        } catch (RuntimeException unknown) {
            return CompletableFuture.completedFuture(false);
        }
    }
}
