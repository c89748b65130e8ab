package dev.sluice.broker.bridge;

import static dev.sluice.broker.bridge.BridgeTestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.faasbridge.core.FunctionRequest;
import dev.sluice.faasbridge.core.MappingRequest;
import dev.sluice.faasbridge.service.FunctionBridge;
import dev.sluice.faasbridge.store.CatalogDefinitionStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queue calls that fail do not cost deliveries: a failed DeleteMessageBatch is retried, and a receive that
 * fails in the middle of a batching window leaves the batch gathered so far to be invoked. The bridge under
 * test is a second one on its own catalog namespace (the server's bridge does not see its mappings),
 * talking to the real in-process client through a fault injector.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeFaultInjectionIT {
    @TempDir
    static Path data;
    static BridgeTestServer sluice;
    Vertx vertx;
    FunctionServer function;

    @BeforeAll
    static void startServer() throws Exception {
        sluice = BridgeTestServer.start(data);
    }

    @AfterAll
    static void stopServer() {
        sluice.close();
    }

    @BeforeEach
    void startFunction() throws Exception {
        vertx = Vertx.vertx();
        function = new FunctionServer();
    }

    @AfterEach
    void stopFunction() throws Exception {
        function.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The real client, except that calls of {@code action} for which {@code fail} says so are throttled. */
    private static QueueClient failing(QueueClient real, String action, java.util.function.IntPredicate fail) {
        AtomicInteger calls = new AtomicInteger();
        return (QueueClient) Proxy.newProxyInstance(QueueClient.class.getClassLoader(), new Class<?>[] {QueueClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals(action) && fail.test(calls.incrementAndGet())) {
                        return CompletableFuture.failedFuture(new SqsException(SqsError.REQUEST_THROTTLED));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void failedDeletesAreRetriedSoProcessedMessagesAreNotDeliveredAgain() throws Exception {
        AtomicInteger deleteCalls = new AtomicInteger();
        QueueClient flaky = failing(sluice.server.queueClient(), "deleteMessageBatch", call -> deleteCalls.incrementAndGet() <= 2);
        String queue = sluice.createQueue("delete-retry", Map.of("VisibilityTimeout", "2"));
        try (FunctionBridge bridge = FunctionBridge.start(flaky, new CatalogDefinitionStore(sluice.server.node().catalog(), "retry-test."),
                vertx, new SimpleMeterRegistry(), BridgeTestServer.settings(), InstantSource.system())) {
            bridge.api().createFunction(new FunctionRequest("retry-fn", function.url(), null, 2, null)).get(10, TimeUnit.SECONDS);
            String uuid = bridge.api().createMapping(new MappingRequest("retry-fn", sluice.queueArn("delete-retry"), 10, null, null,
                    null, null, true)).get(10, TimeUnit.SECONDS).uuid();
            assertEquals(0, sluice.server.bridge().pollers(uuid), "the server's own bridge does not run this mapping");
            for (int i = 0; i < 5; i++) {
                int n = i;
                sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("d" + n));
            }
            sluice.awaitEmpty(queue);
            assertTrue(deleteCalls.get() >= 3, "the throttled deletes were tried again: " + deleteCalls.get());
            Thread.sleep(3_000);
            assertEquals(5, function.bodies().size(), "no message came back after its visibility timeout: " + function.bodies());
        }
    }

    @Test
    void aReceiveFailingInsideABatchingWindowKeepsTheMessagesAlreadyGathered() throws Exception {
        QueueClient flaky = failing(sluice.server.queueClient(), "receiveMessage", call -> call % 2 == 0);
        String queue = sluice.createQueue("window-fault", Map.of("VisibilityTimeout", "2"));
        for (int i = 0; i < 15; i++) {
            int n = i;
            sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("w" + n));
        }
        try (FunctionBridge bridge = FunctionBridge.start(flaky, new CatalogDefinitionStore(sluice.server.node().catalog(), "window-test."),
                vertx, new SimpleMeterRegistry(), BridgeTestServer.settings(), InstantSource.system())) {
            bridge.api().createFunction(new FunctionRequest("window-fault-fn", function.url(), null, 2, null)).get(10, TimeUnit.SECONDS);
            bridge.api().createMapping(new MappingRequest("window-fault-fn", sluice.queueArn("window-fault"), 30, 2, null, null, null,
                    true)).get(10, TimeUnit.SECONDS);
            sluice.awaitEmpty(queue);
            Thread.sleep(3_000);
            assertEquals(15, function.bodies().size(), "every message invoked once, none dropped and redelivered: " + function.bodies());
        }
    }
}
