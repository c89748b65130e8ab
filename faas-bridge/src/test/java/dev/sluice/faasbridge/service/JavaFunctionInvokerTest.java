package dev.sluice.faasbridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.function.FunctionHandler;
import dev.sluice.faasbridge.function.SqsBatchResponse;
import dev.sluice.faasbridge.function.SqsEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** In-process handlers: their answers, their exceptions and their timeout. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JavaFunctionInvokerTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final CountDownLatch interrupted = new CountDownLatch(1);

    private final FunctionHandler failingFirst = handler("fails-m1", event -> SqsBatchResponse.failing(List.of("m1")));
    private final FunctionHandler throwing = handler("throws", event -> {
        throw new IllegalStateException("database down");
    });
    private final FunctionHandler sleeping = handler("sleeps", event -> {
        try {
            Thread.sleep(30_000);
        } catch (InterruptedException e) {
            interrupted.countDown();
            throw e;
        }
        return null;
    });
    private final JavaFunctionInvoker invoker = new JavaFunctionInvoker(
            Map.of("fails-m1", failingFirst, "throws", throwing, "sleeps", sleeping), pool, timers, new ObjectMapper());

    interface Body {
        SqsBatchResponse handle(SqsEvent event) throws Exception;
    }

    private static FunctionHandler handler(String name, Body body) {
        return new FunctionHandler() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SqsBatchResponse handleRequest(SqsEvent event) throws Exception {
                return body.handle(event);
            }
        };
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        timers.shutdownNow();
    }

    private InvocationOutcome invoke(String handler, int timeoutSeconds) throws Exception {
        return invoker.invoke(new FunctionDefinition("fn", null, handler, timeoutSeconds, null, 0), new SqsEvent(List.of()))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReturnedResponseIsJsonForLambdasRules() throws Exception {
        assertEquals(new InvocationOutcome.Returned("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"}]}"), invoke("fails-m1", 3));
    }

    @Test
    void anExceptionFailsTheInvocation() throws Exception {
        assertEquals(new InvocationOutcome.Failed("IllegalStateException", "database down"), invoke("throws", 3));
    }

    @Test
    void aHandlerRunningPastItsTimeoutFailsAndIsInterrupted() throws Exception {
        long start = System.nanoTime();
        InvocationOutcome outcome = invoke("sleeps", 1);
        assertEquals(FunctionInvoker.TIMED_OUT, ((InvocationOutcome.Failed) outcome).errorType());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the handler's thread was interrupted");
    }

    @Test
    void anUnknownHandlerFails() throws Exception {
        assertEquals("Runtime.HandlerNotFound", ((InvocationOutcome.Failed) invoke("missing", 3)).errorType());
    }
}
