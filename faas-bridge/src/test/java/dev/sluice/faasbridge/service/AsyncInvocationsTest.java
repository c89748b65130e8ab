package dev.sluice.faasbridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.store.DefinitionStore;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Invocations by name with a function's reserved concurrency: the wait for a permit and what it leaves behind. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AsyncInvocationsTest {
    private static final FunctionDefinition FUNCTION = new FunctionDefinition("fn", null, "handler", 900, 1, 0);

    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final AsyncPermits permits = new AsyncPermits(1);
    private final FunctionInvoker returning = (function, event) ->
            CompletableFuture.completedFuture(new InvocationOutcome.Returned(null));
    private final AsyncInvocations invocations = new AsyncInvocations(store(), returning, returning,
            function -> permits, timers);

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
            InvocationOutcome outcome = invocations.invoke("fn", new FunctionEvent.Sns("{}")).join();
            assertInstanceOf(InvocationOutcome.Returned.class, outcome);
        }
        assertEquals(0, permits.inUse());
        assertEquals(0, timers.getQueue().size(), "no 900 s give-up timers left behind by invocations that got a permit");
    }

    @Test
    void anInvocationWaitingForAPermitRunsOnceOneIsReleased() {
        permits.acquire().join();
        CompletableFuture<InvocationOutcome> waiting = invocations.invoke("fn", new FunctionEvent.Sns("{}"));
        permits.release();
        assertInstanceOf(InvocationOutcome.Returned.class, waiting.join());
        assertEquals(0, permits.inUse());
        assertEquals(0, timers.getQueue().size(), "the give-up timer is cancelled once the permit came");
    }

    private static DefinitionStore store() {
        return (DefinitionStore) Proxy.newProxyInstance(DefinitionStore.class.getClassLoader(),
                new Class<?>[] {DefinitionStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("function")) {
                        return CompletableFuture.completedFuture(Optional.of(FUNCTION));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
