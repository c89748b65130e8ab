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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DeleteMessageBatch that fails is retried, so a processed batch is not delivered again. The bridge
 * under test is a second one on its own catalog namespace (the server's bridge does not see its
 * mapping), talking to the real in-process client through a fault injector that throttles its first
 * deletes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeDeleteRetryIT {
    @TempDir
    Path data;

    @Test
    void failedDeletesAreRetriedSoProcessedMessagesAreNotDeliveredAgain() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (BridgeTestServer sluice = BridgeTestServer.start(data); FunctionServer function = new FunctionServer()) {
            AtomicInteger deleteCalls = new AtomicInteger();
            QueueClient real = sluice.server.queueClient();
            QueueClient flaky = (QueueClient) Proxy.newProxyInstance(QueueClient.class.getClassLoader(),
                    new Class<?>[] {QueueClient.class}, (proxy, method, args) -> {
                        if (method.getName().equals("deleteMessageBatch") && deleteCalls.incrementAndGet() <= 2) {
                            return CompletableFuture.failedFuture(new SqsException(SqsError.REQUEST_THROTTLED));
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
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
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
