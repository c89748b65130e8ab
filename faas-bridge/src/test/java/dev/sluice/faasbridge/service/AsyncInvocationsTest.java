package dev.sluice.faasbridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.clientsdk.model.InvocationBill;
import dev.sluice.faasbridge.core.AccountScope;

import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.store.DefinitionStore;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Invocations by name with a function's reserved concurrency (the wait for a permit and what it leaves behind), and
 * their bills: every invocation that ran is billed once to its function's owner, its duration rounded up to the
 * millisecond, at this node's edge or, when the cluster bills in the log, by the bill handed to the caller.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AsyncInvocationsTest {
    private static final FunctionDefinition FUNCTION = new FunctionDefinition("fn", null, "handler", 900, 1, 0);

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final AsyncPermits permits = new AsyncPermits(1);
    private final FunctionInvoker returning = (function, event) ->
            CompletableFuture.completedFuture(new InvocationOutcome.Returned(null));
    private final List<String> billedAtEdge = new ArrayList<>();
    private boolean billedInLog;
    private long nanos = 1_000;
    private CompletableFuture<InvocationOutcome> pending;
    private final InvocationMeter meter = new InvocationMeter(new InvocationUsage() {
        @Override
        public void invoked(String functionOwner, long durationMillis) {
            billedAtEdge.add(functionOwner + " " + durationMillis);
        }

        @Override
        public CompletableFuture<Boolean> billedInLog() {
            return CompletableFuture.completedFuture(billedInLog);
        }
    }, AccountScope.only("000000000000")::accountOf);
    private final AsyncInvocations invocations = new AsyncInvocations(store(FUNCTION), returning, returning,
            function -> permits, timers, meter, () -> nanos);
    /** Invokes a function of another account (as stored), without reserved concurrency, that answers when told. */
    private final AsyncInvocations held = new AsyncInvocations(
            store(new FunctionDefinition("111111111111/pager", "http://127.0.0.1:1/", null, 3, null, 0)),
            (function, event) -> pending = new CompletableFuture<>(), returning, function -> null, timers, meter,
            () -> nanos);

    {
        timers.setRemoveOnCancelPolicy(true); // as FunctionBridge's scheduler
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void anInvocationWithAFreePermitLeavesNoTimerPendingForTheFunctionTimeout() {
        for (int i = 0; i < 100; i++) {
            InvocationOutcome outcome = invocations.invoke("fn", new FunctionEvent.Sns("{}")).join().outcome();
            assertInstanceOf(InvocationOutcome.Returned.class, outcome);
        }
        assertEquals(0, permits.inUse());
        assertEquals(0, timers.getQueue().size(), "no 900 s give-up timers left behind by invocations that got a permit");
    }

    @Test
    void anInvocationWaitingForAPermitRunsOnceOneIsReleased() {
        permits.acquire().join();
        CompletableFuture<NotificationInvocation> waiting = invocations.invoke("fn", new FunctionEvent.Sns("{}"));
        permits.release();
        assertInstanceOf(InvocationOutcome.Returned.class, waiting.join().outcome());
        assertEquals(0, permits.inUse());
        assertEquals(0, timers.getQueue().size(), "the give-up timer is cancelled once the permit came");
    }

    @Test
    void anInvocationIsBilledAtTheEdgeWhenItEndsToTheOwnerOfItsQualifiedName() {
        CompletableFuture<NotificationInvocation> result = held.invoke("pager", new FunctionEvent.Sns("{}"));
        assertEquals(List.of(), billedAtEdge, "nothing billed while it runs");
        nanos += 41_000_001;
        pending.complete(new InvocationOutcome.Returned("null"));
        assertEquals(new NotificationInvocation(new InvocationOutcome.Returned("null"), null), result.join());
        assertEquals(List.of("111111111111 42"), billedAtEdge, "41.000001 ms bill as 42");
    }

    @Test
    void aFailedOrInstantInvocationStillBillsOneInvocationOfAtLeastOneMillisecondAtTheEdge() {
        CompletableFuture<NotificationInvocation> timedOut = held.invoke("pager", new FunctionEvent.Sns("{}"));
        pending.complete(new InvocationOutcome.Failed("Sandbox.Timedout", "ran out of time"));
        CompletableFuture<NotificationInvocation> broken = held.invoke("pager", new FunctionEvent.Sns("{}"));
        pending.completeExceptionally(new IllegalStateException("an invoker bug"));
        assertEquals(List.of("111111111111 1", "111111111111 1"), billedAtEdge);
        assertInstanceOf(InvocationOutcome.Failed.class, timedOut.join().outcome());
        assertInstanceOf(InvocationOutcome.Failed.class, broken.join().outcome(), "an invoker's exception is a failure");
    }

    @Test
    void inTheLogAnInvocationHandsItsBillToTheCallerAndBillsNothingAtTheEdge() {
        billedInLog = true;
        CompletableFuture<NotificationInvocation> result = held.invoke("pager", new FunctionEvent.Sns("{}"));
        nanos += 7_500_000;
        pending.complete(new InvocationOutcome.Returned(null));
        assertEquals(new NotificationInvocation(new InvocationOutcome.Returned(null), new InvocationBill("111111111111", 8)),
                result.join());
        assertEquals(List.of(), billedAtEdge);
    }

    @Test
    void anInvocationThatNeverRanBillsNothingAnywhere() {
        billedInLog = true;
        NotificationInvocation unknown = invocations.invoke("missing", new FunctionEvent.Sns("{}")).join();
        assertEquals(AsyncInvocations.NOT_FOUND, ((InvocationOutcome.Failed) unknown.outcome()).errorType());
        assertNull(unknown.bill());
        billedInLog = false;
        assertNull(invocations.invoke("missing", new FunctionEvent.Sns("{}")).join().bill());
        assertEquals(List.of(), billedAtEdge);
    }

    private static DefinitionStore store(FunctionDefinition stored) {
        return (DefinitionStore) Proxy.newProxyInstance(DefinitionStore.class.getClassLoader(),
                new Class<?>[] {DefinitionStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("function")) {
                        String name = stored.name().substring(stored.name().indexOf('/') + 1);
                        return CompletableFuture.completedFuture(name.equals(args[0]) || stored.name().equals(args[0]) ? Optional.of(stored) : Optional.empty());
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
