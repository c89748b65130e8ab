package dev.sluice.faasbridge.service;

import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.store.DefinitionStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Invokes a function by name outside any mapping, as SNS invokes a subscribed Lambda function: looks the
 * function up, waits for one of its reserved-concurrency permits (the same permits its mappings take) for
 * at most the function's timeout, then invokes it through the invoker of its kind, which bounds the run by
 * the timeout. So an invocation settles within twice the function's timeout. Retries are the caller's.
 * Thread-safe; never blocks.
 */
final class AsyncInvocations {
    /** Lambda's error type when a function has no concurrency left (HTTP 429). */
    static final String THROTTLED = "TooManyRequestsException";
    static final String NOT_FOUND = "ResourceNotFoundException";

    private final DefinitionStore store;
    private final FunctionInvoker httpInvoker;
    private final FunctionInvoker javaInvoker;
    private final Function<FunctionDefinition, AsyncPermits> permits;
    private final ScheduledExecutorService scheduler;

    AsyncInvocations(DefinitionStore store, FunctionInvoker httpInvoker, FunctionInvoker javaInvoker,
            Function<FunctionDefinition, AsyncPermits> permits, ScheduledExecutorService scheduler) {
        this.store = store;
        this.httpInvoker = httpInvoker;
        this.javaInvoker = javaInvoker;
        this.permits = permits;
        this.scheduler = scheduler;
    }

    /** Completes normally, always: an unknown function, a throttle, an error or a timeout is a Failed outcome. */
    CompletableFuture<InvocationOutcome> invoke(String functionName, FunctionEvent event) {
        return store.function(functionName).handle((found, failure) -> {
            if (failure != null) {
                return CompletableFuture.<InvocationOutcome>completedFuture(new InvocationOutcome.Failed(
                        "Bridge.StoreUnavailable", String.valueOf(failure.getMessage())));
            }
            if (found.isEmpty()) {
                return CompletableFuture.<InvocationOutcome>completedFuture(new InvocationOutcome.Failed(NOT_FOUND,
                        "Function not found: " + functionName));
            }
            return invoke(found.get(), event);
        }).thenCompose(outcome -> outcome);
    }

    private CompletableFuture<InvocationOutcome> invoke(FunctionDefinition function, FunctionEvent event) {
        FunctionInvoker invoker = function.isHttp() ? httpInvoker : javaInvoker;
        AsyncPermits limit = permits.apply(function);
        if (limit == null) {
            return invoker.invoke(function, event);
        }
        CompletableFuture<Void> permit = limit.acquire();
        if (!permit.isDone()) {
            // Give up the wait after the timeout; the timer goes once the permit came, not a timeout later.
            ScheduledFuture<?> giveUp = scheduler.schedule(() -> permit.cancel(false), function.timeoutSeconds(),
                    TimeUnit.SECONDS);
            permit.whenComplete((held, cancelled) -> giveUp.cancel(false));
        }
        return permit.handle((held, cancelled) -> cancelled == null).thenCompose(held -> {
            if (!held) {
                return CompletableFuture.completedFuture(new InvocationOutcome.Failed(THROTTLED, "Rate Exceeded: function "
                        + function.name() + " has all " + function.reservedConcurrency() + " reserved concurrency in use"));
            }
            return invoker.invoke(function, event).whenComplete((outcome, error) -> limit.release());
        });
    }
}
