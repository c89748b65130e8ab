package dev.sluice.broker.bridge;

import static dev.sluice.broker.bridge.BridgeTestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.bridge.FunctionServer.Reply;
import dev.sluice.faasbridge.service.FunctionBridge;
import dev.sluice.faasbridge.store.CatalogDefinitionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** Pollers scale with the backlog within MaximumConcurrency, throttling holds no messages, bridges share a mapping. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeScalingIT {
    @TempDir
    static Path data;
    static BridgeTestServer sluice;
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
        function = new FunctionServer();
    }

    @AfterEach
    void stopFunction() throws Exception {
        function.close();
    }

    @Test
    void pollersScaleUpUnderABacklogNeverAboveMaximumConcurrencyAndShedWhenIdle() throws Exception {
        String queue = sluice.createQueue("backlog", Map.of());
        sendMany(queue, "b", 400);
        function.respond(event -> Reply.okAfter(150));
        String uuid = sluice.mapHttpFunction("backlog-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("backlog")
                + "\",\"ScalingConfig\":{\"MaximumConcurrency\":4}");

        AtomicInteger mostPollers = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> mostPollers.accumulateAndGet(sluice.server.bridge().pollers(uuid), Math::max), 0, 10,
                TimeUnit.MILLISECONDS);
        try {
            await(() -> function.bodies().size() >= 400, Duration.ofSeconds(60), "the backlog to drain");
        } finally {
            sampler.shutdownNow();
        }
        assertEquals(4, mostPollers.get(), "scaled up to MaximumConcurrency and no further");
        assertTrue(function.maxInFlight() <= 4, "never more than MaximumConcurrency invocations at once: " + function.maxInFlight());
        assertTrue(function.maxInFlight() >= 2, "invocations ran concurrently: " + function.maxInFlight());
        await(() -> sluice.server.bridge().pollers(uuid) == 1, Duration.ofSeconds(15), "idle pollers to retire down to one");

        String metrics = sluice.rest.get("/metrics").body();
        assertTrue(metrics.contains("sluice_bridge_invocations_total{function=\"backlog-fn\",queue=\"backlog\"}"), metrics);
        for (String meter : List.of("sluice_bridge_batch_size_count", "sluice_bridge_pollers", "sluice_bridge_concurrency",
                "sluice_bridge_iterator_age_seconds_max", "sluice_bridge_invocation_errors_total", "sluice_bridge_partial_failures_total")) {
            assertTrue(metrics.contains(meter + "{function=\"backlog-fn\""), meter);
        }
    }

    @Test
    void aThrottledFunctionNeverHoldsReceivedMessagesSoNoneReachTheDeadLetterQueue() throws Exception {
        String dlq = sluice.createQueue("throttled-dlq", Map.of());
        String queue = sluice.createQueue("throttled", Map.of("VisibilityTimeout", "2", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + sluice.queueArn("throttled-dlq") + "\",\"maxReceiveCount\":\"1\"}"));
        sendMany(queue, "t", 15);
        function.respond(event -> Reply.okAfter(300));
        var created = sluice.post("/v1/functions", "{\"FunctionName\":\"throttled-fn\",\"InvokeUrl\":\"" + function.url()
                + "\",\"Timeout\":2,\"ReservedConcurrentExecutions\":1}");
        assertEquals(201, created.statusCode(), created.body());
        var mapping = sluice.post("/v1/event-source-mappings", "{\"FunctionName\":\"throttled-fn\",\"EventSourceArn\":\""
                + sluice.queueArn("throttled") + "\",\"BatchSize\":1,\"ScalingConfig\":{\"MaximumConcurrency\":10}}");
        assertEquals(202, mapping.statusCode(), mapping.body());
        String uuid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(mapping.body()).get("UUID").asText();

        AtomicInteger mostPollers = new AtomicInteger();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> mostPollers.accumulateAndGet(sluice.server.bridge().pollers(uuid), Math::max), 0, 10,
                TimeUnit.MILLISECONDS);
        try {
            await(() -> function.bodies().size() >= 15, Duration.ofSeconds(30), "every message invoked");
        } finally {
            sampler.shutdownNow();
        }
        sluice.awaitEmpty(queue);
        assertTrue(mostPollers.get() > 1, "several pollers competed for the one invocation slot: " + mostPollers.get());
        assertEquals(1, function.maxInFlight(), "reserved concurrency 1 held");
        assertEquals(15, BridgeTestServer.counts(function.bodies()).size());
        assertTrue(BridgeTestServer.counts(function.bodies()).values().stream().allMatch(count -> count == 1),
                "each message invoked once: " + function.bodies());
        assertEquals(0, sluice.sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1)).messages().size(),
                "throttling moved nothing to the dead-letter queue");
    }

    @Test
    void twoBridgesShareOneMappingAndInvokeEachMessageOnce() throws Exception {
        Vertx vertx = Vertx.vertx();
        MeterRegistry secondMeters = new SimpleMeterRegistry();
        try (FunctionBridge second = FunctionBridge.start(sluice.server.queueClient(),
                new CatalogDefinitionStore(sluice.server.node().catalog()), vertx, secondMeters, BridgeTestServer.settings(),
                InstantSource.system())) {
            String queue = sluice.createQueue("shared", Map.of());
            function.respond(event -> Reply.okAfter(20));
            String uuid = sluice.mapHttpFunction("shared-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("shared")
                    + "\",\"BatchSize\":5");
            await(() -> second.pollers(uuid) >= 1 && sluice.server.bridge().pollers(uuid) >= 1, Duration.ofSeconds(10),
                    "both bridges polling");
            sendMany(queue, "s", 200);

            await(() -> BridgeTestServer.counts(function.bodies()).size() == 200, Duration.ofSeconds(30), "every message invoked");
            sluice.awaitEmpty(queue);
            assertEquals(200, function.bodies().size(), "no message invoked twice");
            double secondInvocations = secondMeters.get("sluice.bridge.invocations").tag("function", "shared-fn").counter().count();
            double firstInvocations = sluice.server.meters().get("sluice.bridge.invocations").tag("function", "shared-fn").counter().count();
            assertTrue(secondInvocations > 0 && firstInvocations > 0,
                    "both bridges invoked: " + firstInvocations + " and " + secondInvocations);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void bridgesSharingAMappingSplitItsMaximumConcurrency() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FunctionBridge second = FunctionBridge.start(sluice.server.queueClient(),
                new CatalogDefinitionStore(sluice.server.node().catalog()), vertx, new SimpleMeterRegistry(), BridgeTestServer.settings(),
                InstantSource.system())) {
            String queue = sluice.createQueue("split", Map.of());
            function.respond(event -> Reply.okAfter(100));
            String uuid = sluice.mapHttpFunction("split-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("split")
                    + "\",\"BatchSize\":1,\"ScalingConfig\":{\"MaximumConcurrency\":3}");
            // Bridges say they are alive once a mapping with a MaximumConcurrency exists (at their next refresh).
            await(() -> sluice.liveBridges() == 2, Duration.ofSeconds(10), "both bridges to say they are alive");
            await(() -> second.pollers(uuid) >= 1 && sluice.server.bridge().pollers(uuid) >= 1, Duration.ofSeconds(10),
                    "both bridges polling");
            sendMany(queue, "x", 60);

            AtomicInteger mostTogether = new AtomicInteger();
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            sampler.scheduleAtFixedRate(() -> mostTogether.accumulateAndGet(
                    second.pollers(uuid) + sluice.server.bridge().pollers(uuid), Math::max), 0, 10, TimeUnit.MILLISECONDS);
            try {
                await(() -> function.bodies().size() >= 60, Duration.ofSeconds(30), "every message invoked");
            } finally {
                sampler.shutdownNow();
            }
            assertEquals(3, mostTogether.get(), "together the bridges reached MaximumConcurrency and no more");
            assertTrue(function.maxInFlight() <= 3, "at most MaximumConcurrency invocations at once: " + function.maxInFlight());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static void sendMany(String queue, String prefix, int count) {
        sendMany(sluice, queue, prefix, count);
    }

    static void sendMany(BridgeTestServer sluice, String queue, String prefix, int count) {
        List<String> bodies = IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
        for (int from = 0; from < bodies.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(bodies.get(i)).build());
            }
            sluice.sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
        }
    }
}
