package dev.sluice.faasbridge.service;

import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.InvocationOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * An invoker that reports every invocation it made of an SNS notification (or any event but an event source mapping's
 * batch), with its duration, to {@link InvocationUsage}: the one place every invocation goes through, after the
 * concurrency permit was taken (a throttled invocation never reaches it, so it is not billed). A mapping's batch is
 * billed by its {@link MappingWorker}, which knows whether its delete carries the bill. Thread-safe.
 */
final class MeteredInvoker implements FunctionInvoker {
    private final FunctionInvoker invoker;
    private final InvocationMeter meter;
    private final LongSupplier nanoTime;

    /**
     * @param ownerOfFunction the account of a function's stored (qualified) name
     * @param nanoTime a monotonic clock ({@code System::nanoTime}; tests step their own)
     */
    MeteredInvoker(FunctionInvoker invoker, InvocationUsage usage, UnaryOperator<String> ownerOfFunction,
            LongSupplier nanoTime) {
        this.invoker = invoker;
        this.meter = new InvocationMeter(usage, ownerOfFunction);
        this.nanoTime = nanoTime;
    }

    @Override
    public CompletableFuture<InvocationOutcome> invoke(FunctionDefinition function, FunctionEvent event) {
        if (event instanceof FunctionEvent.Sqs) {
            return invoker.invoke(function, event);
        }
        long startedNanos = nanoTime.getAsLong();
        return invoker.invoke(function, event).whenComplete((outcome, failure) ->
                meter.atEdge(function.name(), nanoTime.getAsLong() - startedNanos));
    }
}
