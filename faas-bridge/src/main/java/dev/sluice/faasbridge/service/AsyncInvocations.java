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
import java.util.function.LongSupplier;

/**
 * Invokes a function by name outside any mapping, as SNS invokes a subscribed Lambda function: looks the
 * function up, waits for one of its reserved-concurrency permits (the same permits its mappings take) for
 * at most the function's timeout, then invokes it through the invoker of its kind, which bounds the run by
 * the timeout. So an invocation settles within twice the function's timeout. Retries are the caller's.
 * Bills each invocation that ran (after its permit; a throttled or unknown function's never runs) through its
 * {@link InvocationMeter}: asked before, so that the bill goes either with the caller's delete of the notification
 * (in the log) or to this node's edge when the invocation ends (whatever it answered), never both.
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
    private final InvocationMeter meter;
    private final LongSupplier nanoTime;

    /** @param nanoTime a monotonic clock ({@code System::nanoTime}; tests step their own) */
    AsyncInvocations(DefinitionStore store, FunctionInvoker httpInvoker, FunctionInvoker javaInvoker,
            Function<FunctionDefinition, AsyncPermits> permits, ScheduledExecutorService scheduler,
            InvocationMeter meter, LongSupplier nanoTime) {
        this.meter = meter;
        this.nanoTime = nanoTime;
        this.store = store;
        this.httpInvoker = httpInvoker;
        this.javaInvoker = javaInvoker;
        this.permits = permits;
        this.scheduler = scheduler;
    }

    /** Completes normally, always: an unknown function, a throttle, an error or a timeout is a Failed outcome. */
    CompletableFuture<NotificationInvocation> invoke(String functionName, FunctionEvent event) {
        return store.function(functionName).handle((found, failure) -> {
            if (failure != null) {
                return notRun(new InvocationOutcome.Failed("Bridge.StoreUnavailable", String.valueOf(failure.getMessage())));
            }
            if (found.isEmpty()) {
                return notRun(new InvocationOutcome.Failed(NOT_FOUND, "Function not found: " + functionName));
            }
            return meter.billedInLog().thenCompose(billedInLog -> invoke(found.get(), event, billedInLog));
        }).thenCompose(invocation -> invocation);
    }

    private static CompletableFuture<NotificationInvocation> notRun(InvocationOutcome.Failed why) {
        return CompletableFuture.completedFuture(new NotificationInvocation(why, null));
    }

    private CompletableFuture<NotificationInvocation> invoke(FunctionDefinition function, FunctionEvent event,
            boolean billedInLog) {
        AsyncPermits limit = permits.apply(function);
        if (limit == null) {
            return run(function, event, billedInLog);
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
                return notRun(new InvocationOutcome.Failed(THROTTLED, "Rate Exceeded: function "
                        + function.name() + " has all " + function.reservedConcurrency() + " reserved concurrency in use"));
            }
            return run(function, event, billedInLog).whenComplete((invocation, error) -> limit.release());
        });
    }

    /** Runs the invocation (its permit held) through the invoker of its kind, and bills it. */
    private CompletableFuture<NotificationInvocation> run(FunctionDefinition function, FunctionEvent event,
            boolean billedInLog) {
        FunctionInvoker invoker = function.isHttp() ? httpInvoker : javaInvoker;
        long startedNanos = nanoTime.getAsLong();
        return invoker.invoke(function, event).handle((outcome, failure) -> {
            long elapsedNanos = nanoTime.getAsLong() - startedNanos;
            InvocationOutcome settled = failure == null ? outcome
                    : new InvocationOutcome.Failed("Bridge.InvokerFailed", String.valueOf(failure.getMessage()));
            if (!billedInLog) {
                meter.atEdge(function.name(), elapsedNanos);
                return new NotificationInvocation(settled, null);
            }
            return new NotificationInvocation(settled, meter.bill(function.name(), elapsedNanos));
        });
    }
}
