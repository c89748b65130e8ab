package dev.sluice.faasbridge.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.function.FunctionHandler;
import dev.sluice.faasbridge.function.SnsEvent;
import dev.sluice.faasbridge.function.SqsBatchResponse;
import dev.sluice.faasbridge.function.SqsEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
    private final AtomicReference<SnsEvent> snsReceived = new AtomicReference<>();
    private final FunctionHandler snsRecorder = new FunctionHandler() {
        @Override
        public String name() {
            return "sns-recorder";
        }

        @Override
        public SqsBatchResponse handleRequest(SqsEvent event) {
            return null;
        }

        @Override
        public void handleSnsEvent(SnsEvent event) {
            snsReceived.set(event);
        }
    };
    private final JavaFunctionInvoker invoker = new JavaFunctionInvoker(Map.of("fails-m1", failingFirst, "throws", throwing,
            "sleeps", sleeping, "sns-recorder", snsRecorder), pool, timers, new ObjectMapper());
    private static final String SNS_EVENT = "{\"Records\":[{\"EventVersion\":\"1.0\",\"EventSubscriptionArn\":\"arn:aws:sns:"
            + "us-east-1:000000000000:t:s\",\"EventSource\":\"aws:sns\",\"Sns\":{\"Type\":\"Notification\","
            + "\"MessageId\":\"m\",\"TopicArn\":\"arn:aws:sns:us-east-1:000000000000:t\",\"Subject\":null,"
            + "\"Message\":\"hello\",\"Timestamp\":\"2026-11-24T00:00:00.000Z\",\"SignatureVersion\":\"1\","
            + "\"Signature\":\"c2ln\",\"SigningCertUrl\":\"http://h/c.pem\",\"UnsubscribeUrl\":\"http://h/u\","
            + "\"MessageAttributes\":{\"kind\":{\"Type\":\"String\",\"Value\":\"alert\"}}}}]}";

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
        return invoke(handler, timeoutSeconds, new FunctionEvent.Sqs(new SqsEvent(List.of())));
    }

    private InvocationOutcome invoke(String handler, int timeoutSeconds, FunctionEvent event) throws Exception {
        return invoker.invoke(new FunctionDefinition("fn", null, handler, timeoutSeconds, null, 0), event)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void anSnsEventReachesHandleSnsEventTyped() throws Exception {
        assertEquals(new InvocationOutcome.Returned(null), invoke("sns-recorder", 3, new FunctionEvent.Sns(SNS_EVENT)));
        SnsEvent.Record record = snsReceived.get().records().get(0);
        assertEquals("aws:sns", record.eventSource());
        assertEquals("arn:aws:sns:us-east-1:000000000000:t:s", record.eventSubscriptionArn());
        assertEquals("hello", record.sns().message());
        assertEquals(null, record.sns().subject());
        assertEquals("http://h/c.pem", record.sns().signingCertUrl());
        assertEquals("http://h/u", record.sns().unsubscribeUrl());
        assertEquals(new SnsEvent.MessageAttribute("String", "alert"), record.sns().messageAttributes().get("kind"));
    }

    @Test
    void aHandlerWithoutHandleSnsEventFailsAnSnsEventClearly() throws Exception {
        InvocationOutcome.Failed failed = (InvocationOutcome.Failed) invoke("throws", 3, new FunctionEvent.Sns(SNS_EVENT));
        assertEquals("UnsupportedOperationException", failed.errorType());
        assertTrue(failed.message().contains("does not handle SNS events"), failed.message());
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
