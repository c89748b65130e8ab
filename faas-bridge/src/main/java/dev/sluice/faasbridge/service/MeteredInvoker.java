package dev.sluice.faasbridge.service;

import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.InvocationOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * An invoker that reports every invocation it made, with its duration, to {@link InvocationUsage}: the one place both
 * event source mappings and SNS subscriptions invoke through, after the concurrency permit was taken (a throttled
 * invocation never reaches it, so it is not billed). Thread-safe.
 */
final class MeteredInvoker implements FunctionInvoker {
    private static final long NANOS_PER_MILLI = 1_000_000;

    private final FunctionInvoker invoker;
    private final InvocationUsage usage;
    private final UnaryOperator<String> ownerOfFunction;
    private final LongSupplier nanoTime;

    /**
     * @param ownerOfFunction the account of a function's stored (qualified) name
     * @param nanoTime a monotonic clock ({@code System::nanoTime}; tests step their own)
     */
    MeteredInvoker(FunctionInvoker invoker, InvocationUsage usage, UnaryOperator<String> ownerOfFunction,
            LongSupplier nanoTime) {
        this.invoker = invoker;
        this.usage = usage;
        this.ownerOfFunction = ownerOfFunction;
        this.nanoTime = nanoTime;
    }

    @Override
    public CompletableFuture<InvocationOutcome> invoke(FunctionDefinition function, FunctionEvent event) {
        long startedNanos = nanoTime.getAsLong();
        return invoker.invoke(function, event).whenComplete((outcome, failure) -> {
            long elapsed = Math.max(0, nanoTime.getAsLong() - startedNanos);
            usage.invoked(ownerOfFunction.apply(function.name()), Math.max(1, (elapsed + NANOS_PER_MILLI - 1) / NANOS_PER_MILLI));
        });
    }
}
