package dev.sluice.broker.bridge;

import static dev.sluice.broker.bridge.BridgeTestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.bridge.FunctionServer.Reply;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.ops.MetricsScrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The function bridge's meters as an operator scrapes them, labelled by function and source queue name within the label
 * bound (here 4 pairs, so the mappings after the first four are summed under {@code __overflow__}), never by mapping
 * UUID; one function's mappings on two queues counted apart; partial batch failures and the
 * source queue's oldest message age; a mapping's recent errors in its REST view; and disabling a mapping stops its
 * invocations until it is enabled again (UpdateEventSourceMapping's {@code Enabled}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
// The label bound is per server: the first four (function, queue) pairs get labels, so the overflow test comes last.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FunctionMetersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path data;
    static BridgeTestServer sluice;
    FunctionServer function;

    @BeforeAll
    static void startServer() throws Exception {
        sluice = BridgeTestServer.start(data, BridgeTestServer.settings(),
                config -> config.withMetrics(new SluiceConfig.Metrics(4)));
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
    @Order(1)
    void partialBatchFailuresAreCountedPerFunctionAndShownAsTheMappingsRecentErrors() throws Exception {
        String queue = sluice.createQueue("half-done", Map.of("VisibilityTimeout", "4"));
        function.respond(BridgeDeliveryIT::failBadRecordsOnFirstDelivery);
        sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("good"));
        sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("bad"));
        String uuid = sluice.mapHttpFunction("half-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("half-done")
                + "\",\"BatchSize\":10,\"MaximumBatchingWindowInSeconds\":1,\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"]");
        sluice.awaitEmpty(queue);

        MetricsScrape scrape = MetricsScrape.of(sluice.server.httpPort());
        assertTrue(scrape.value("sluice_bridge_partial_failures_total", "function", "half-fn").orElse(0.0) >= 1, scrape.text());
        assertTrue(scrape.value("sluice_bridge_source_oldest_message_age_seconds", "function", "half-fn").isPresent());
        assertTrue(scrape.value("sluice_bridge_concurrency", "function", "half-fn").isPresent());
        assertFalse(scrape.text().contains(uuid), "no series is labelled with a mapping UUID");

        JsonNode mapping = JSON.readTree(sluice.rest.get("/v1/event-source-mappings/" + uuid).body());
        JsonNode latest = mapping.get("RecentErrors").get(0);
        assertTrue(latest.get("Message").asText().startsWith("partial batch failure: 1 of"), mapping.toString());
        assertTrue(latest.get("At").asText().endsWith("Z"));
    }

    @Test
    @Order(2)
    void aDisabledMappingInvokesNothingUntilEnabledAgain() throws Exception {
        String queue = sluice.createQueue("pausable", Map.of());
        AtomicInteger invoked = new AtomicInteger();
        function.respond(event -> {
            invoked.incrementAndGet();
            return Reply.ok("null");
        });
        String uuid = sluice.mapHttpFunction("pausable-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("pausable") + "\"");
        sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("before"));
        await(() -> invoked.get() == 1, Duration.ofSeconds(10), "the first invocation");

        assertEquals(202, sluice.rest.put("/v1/event-source-mappings/" + uuid, "{\"Enabled\":false}").statusCode());
        await(() -> sluice.server.bridge().pollers(uuid) == 0, Duration.ofSeconds(10), "the pollers to stop");
        assertEquals("Disabled", JSON.readTree(sluice.rest.get("/v1/event-source-mappings/" + uuid).body()).get("State").asText());
        sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("while disabled"));
        Thread.sleep(1500);
        assertEquals(1, invoked.get(), "nothing invoked while disabled");

        assertEquals(202, sluice.rest.put("/v1/event-source-mappings/" + uuid, "{\"Enabled\":true}").statusCode());
        await(() -> invoked.get() == 2, Duration.ofSeconds(10), "the waiting message invoked once enabled");
        assertEquals("Enabled", JSON.readTree(sluice.rest.get("/v1/event-source-mappings/" + uuid).body()).get("State").asText());
    }

    @Test
    @Order(3)
    void oneFunctionsMappingsOnTwoSourceQueuesAreCountedUnderEachQueue() throws Exception {
        String calm = sluice.createQueue("calm-source", Map.of());
        // Long enough that the failed message is not received again while the test reads the meters.
        String stormy = sluice.createQueue("stormy-source", Map.of("VisibilityTimeout", "60"));
        function.respond(event -> event.toString().contains("storm")
                ? new Reply(200, Map.of("X-Amz-Function-Error", "Unhandled"), "{\"errorMessage\":\"storm\"}", 0)
                : Reply.ok("null"));
        String first = sluice.mapHttpFunction("two-source-fn", function.url(), 3,
                "\"EventSourceArn\":\"" + sluice.queueArn("calm-source") + "\",\"BatchSize\":1");
        var second = sluice.post("/v1/event-source-mappings", "{\"FunctionName\":\"two-source-fn\",\"EventSourceArn\":\""
                + sluice.queueArn("stormy-source") + "\",\"BatchSize\":1}");
        assertEquals(202, second.statusCode(), second.body());
        sluice.sqs.sendMessage(b -> b.queueUrl(calm).messageBody("calm 1"));
        sluice.sqs.sendMessage(b -> b.queueUrl(calm).messageBody("calm 2"));
        sluice.sqs.sendMessage(b -> b.queueUrl(stormy).messageBody("storm"));
        sluice.awaitEmpty(calm);
        await(() -> scrapeOrEmpty().value("sluice_bridge_invocation_errors_total", "function", "two-source-fn", "queue",
                "stormy-source").orElse(0.0) >= 1, Duration.ofSeconds(15), "the failed invocation counted");

        MetricsScrape scrape = MetricsScrape.of(sluice.server.httpPort());
        String fn = "two-source-fn";
        assertEquals(2.0, scrape.value("sluice_bridge_invocations_total", "function", fn, "queue", "calm-source").orElseThrow(),
                scrape.text());
        assertEquals(0.0, scrape.value("sluice_bridge_invocation_errors_total", "function", fn, "queue", "calm-source")
                .orElseThrow());
        assertEquals(1.0, scrape.value("sluice_bridge_invocations_total", "function", fn, "queue", "stormy-source")
                .orElseThrow());
        assertEquals(1.0, scrape.value("sluice_bridge_invocation_errors_total", "function", fn, "queue", "stormy-source")
                .orElseThrow());
        assertEquals(2, scrape.matching("sluice_bridge_invocations_total", "function", fn).size(), "one series per mapping");
        assertTrue(scrape.value("sluice_bridge_source_oldest_message_age_seconds", "function", fn, "queue", "stormy-source")
                .isPresent());
        assertFalse(scrape.text().contains(first), "no series is labelled with a mapping UUID");
    }

    private static MetricsScrape scrapeOrEmpty() {
        try {
            return MetricsScrape.of(sluice.server.httpPort());
        } catch (java.io.IOException e) {
            return new MetricsScrape("");
        }
    }

    @Test
    @Order(4)
    void functionsBeyondTheLabelBoundAreSummedUnderOverflow() throws Exception {
        for (String name : new String[] {"bound-a", "bound-b", "bound-c"}) {
            String queue = sluice.createQueue(name, Map.of());
            sluice.mapHttpFunction(name + "-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn(name) + "\"");
            sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(name));
        }
        await(() -> function.bodies().size() >= 3, Duration.ofSeconds(15), "three invocations");
        MetricsScrape scrape = MetricsScrape.of(sluice.server.httpPort());
        double labelled = scrape.matching("sluice_bridge_invocations_total").stream()
                .filter(sample -> !sample.labels().get("function").equals("__overflow__")).count();
        assertTrue(labelled <= 4, "at most four labelled (function, queue) pairs: " + scrape.text());
        assertTrue(scrape.value("sluice_bridge_invocations_total", "function", "__overflow__", "queue", "__overflow__")
                .orElse(0.0) >= 1, scrape.text());
    }
}
