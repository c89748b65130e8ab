package dev.sluice.broker.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.broker.bridge.FunctionServer.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** FIFO queues: a failed message keeps the later messages of its group, so each group is processed in order. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeFifoIT {
    @TempDir
    static Path data;
    static BridgeTestServer sluice;

    @BeforeAll
    static void startServer() throws Exception {
        sluice = BridgeTestServer.start(data);
    }

    @AfterAll
    static void stopServer() {
        sluice.close();
    }

    @Test
    void aFailedMessageReturnsWithEveryLaterMessageOfItsGroupAndOrderHolds() throws Exception {
        String queue = sluice.createQueue("orders.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true",
                "VisibilityTimeout", "2"));
        for (String body : List.of("A1", "B1", "A2", "B2", "A3")) {
            sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body).messageGroupId(body.substring(0, 1)));
        }
        try (FunctionServer function = new FunctionServer()) {
            // A2 fails the first time the function sees it. Not keyed on ApproximateReceiveCount: on a loaded
            // machine a receive can be spent without an invocation (at-least-once), and A2's first invocation
            // may then carry a count of 2.
            java.util.concurrent.atomic.AtomicBoolean a2Failed = new java.util.concurrent.atomic.AtomicBoolean();
            function.respond(event -> {
                StringBuilder failed = new StringBuilder();
                for (JsonNode record : event.get("Records")) {
                    if (record.get("body").asText().equals("A2") && a2Failed.compareAndSet(false, true)) {
                        failed.append("{\"itemIdentifier\":\"").append(record.get("messageId").asText()).append("\"}");
                    }
                }
                return Reply.ok("{\"batchItemFailures\":[" + failed + "]}");
            });
            sluice.mapHttpFunction("orders-fn", function.url(), 2, "\"EventSourceArn\":\"" + sluice.queueArn("orders.fifo")
                    + "\",\"BatchSize\":10,\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"]");

            sluice.awaitEmpty(queue);
            List<String> bodies = function.bodies();
            List<String> groupA = bodies.stream().filter(body -> body.startsWith("A")).toList();
            List<String> groupB = bodies.stream().filter(body -> body.startsWith("B")).toList();
            assertEquals(List.of("B1", "B2"), groupB, "the other group is untouched by A2's failure");
            assertEquals("A1", groupA.get(0));
            assertEquals(List.of("A2", "A3"), groupA.subList(groupA.size() - 2, groupA.size()),
                    "group A ends with A2 then A3, redelivered in order after A2 failed: " + bodies);
            assertEquals(1, groupA.stream().filter("A1"::equals).count(), "A1 succeeded before the failure and stayed deleted");
            assertEquals(2, groupA.stream().filter("A2"::equals).count(), "A2 failed once, then succeeded");
            assertEquals(2, groupA.stream().filter("A3"::equals).count(),
                    "A3 came in A2's batch, succeeded, and still returned behind A2: " + function.events());
            for (JsonNode event : function.events()) {
                for (JsonNode record : event.get("Records")) {
                    assertEquals(record.get("body").asText().substring(0, 1), record.get("attributes").get("MessageGroupId").asText());
                    assertEquals(true, record.get("attributes").hasNonNull("SequenceNumber"), "FIFO records carry SequenceNumber");
                }
            }
        }
    }

    @Test
    void fifoMappingsRefuseBatchesOverTenAndBatchingWindows() throws Exception {
        sluice.createQueue("limits.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"));
        assertEquals(201, sluice.post("/v1/functions", "{\"FunctionName\":\"limits-fn\",\"InvokeUrl\":\"http://127.0.0.1:9/x\"}")
                .statusCode());
        String arn = "\"FunctionName\":\"limits-fn\",\"EventSourceArn\":\"" + sluice.queueArn("limits.fifo") + "\"";
        var tooBig = sluice.post("/v1/event-source-mappings", "{" + arn + ",\"BatchSize\":11,\"MaximumBatchingWindowInSeconds\":1}");
        assertEquals(400, tooBig.statusCode(), tooBig.body());
        var window = sluice.post("/v1/event-source-mappings", "{" + arn + ",\"MaximumBatchingWindowInSeconds\":1}");
        assertEquals(400, window.statusCode(), window.body());
        assertEquals(202, sluice.post("/v1/event-source-mappings", "{" + arn + ",\"BatchSize\":10}").statusCode());
    }
}
