package dev.sluice.broker.bridge;

import static dev.sluice.broker.bridge.BridgeTestServer.await;
import static dev.sluice.broker.bridge.BridgeTestServer.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.broker.bridge.FunctionServer.Reply;
import dev.sluice.clientsdk.MessageMd5;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Queue → bridge → real HTTP function → deletes, against a real single-node server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeDeliveryIT {
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
    void deliversLambdaShapedBatchesAndDeletesThemOnSuccess() throws Exception {
        String queue = sluice.createQueue("shape", Map.of());
        for (int i = 0; i < 12; i++) {
            int n = i;
            sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("m" + n)
                    .messageAttributes(Map.of("severity", MessageAttributeValue.builder().dataType("String").stringValue("high").build())));
        }
        sluice.mapHttpFunction("shape-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("shape") + "\",\"BatchSize\":5");

        await(() -> new TreeSet<>(function.bodies()).size() == 12, Duration.ofSeconds(20), "every message invoked");
        sluice.awaitEmpty(queue);
        for (JsonNode event : function.events()) {
            assertTrue(event.get("Records").size() <= 5, "a batch holds at most BatchSize records: " + event);
        }
        JsonNode record = function.events().get(0).get("Records").get(0);
        assertEquals("aws:sqs", record.get("eventSource").asText());
        assertEquals(sluice.queueArn("shape"), record.get("eventSourceARN").asText());
        assertEquals("us-east-1", record.get("awsRegion").asText());
        assertEquals(MessageMd5.ofBody(record.get("body").asText()), record.get("md5OfBody").asText());
        assertTrue(record.get("messageId").asText().length() > 0);
        assertTrue(record.get("receiptHandle").asText().length() > 0);
        for (String attribute : List.of("ApproximateReceiveCount", "SentTimestamp", "ApproximateFirstReceiveTimestamp")) {
            assertTrue(record.get("attributes").has(attribute), attribute + " in " + record);
        }
        JsonNode severity = record.get("messageAttributes").get("severity");
        assertEquals("high", severity.get("stringValue").asText());
        assertEquals("String", severity.get("dataType").asText());
        assertTrue(severity.get("stringListValues").isArray() && severity.get("binaryListValues").isArray());
        assertEquals(12, function.bodies().size(), "each message invoked once");
    }

    @Test
    void aFailedInvocationDeletesNothingAndTheMessagesReachTheDeadLetterQueueAfterMaxReceiveCount() throws Exception {
        String dlq = sluice.createQueue("failing-dlq", Map.of());
        sluice.createQueue("failing", Map.of("VisibilityTimeout", "1", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + sluice.queueArn("failing-dlq") + "\",\"maxReceiveCount\":\"2\"}"));
        String queue = sluice.sqs.getQueueUrl(b -> b.queueName("failing")).queueUrl();
        function.respond(event -> new Reply(200, Map.of("X-Amz-Function-Error", "Unhandled"),
                "{\"errorMessage\":\"boom\",\"errorType\":\"RuntimeError\"}", 0));
        sendAll(queue, "f1", "f2", "f3");
        sluice.mapHttpFunction("failing-fn", function.url(), 1, "\"EventSourceArn\":\"" + sluice.queueArn("failing") + "\"");

        Map<String, Integer> inDlq = new HashMap<>();
        await(() -> {
            sluice.sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages().forEach(message -> inDlq.merge(message.body(), 1, Integer::sum));
            return inDlq.size() == 3;
        }, Duration.ofSeconds(30), "every message in the dead-letter queue");
        assertEquals(Map.of("f1", 2, "f2", 2, "f3", 2), counts(function.bodies()),
                "each message was invoked exactly maxReceiveCount times before it moved");
    }

    @Test
    void anErrorTypeBodyFailsTheBatchAndTheMessagesComeBack() throws Exception {
        String queue = sluice.createQueue("error-body", Map.of("VisibilityTimeout", "1"));
        function.respond(event -> event.get("Records").get(0).get("attributes").get("ApproximateReceiveCount").asInt() == 1
                ? Reply.ok("{\"errorType\":\"Boom\",\"errorMessage\":\"first try fails\"}") : Reply.ok("null"));
        sendAll(queue, "e1", "e2");
        sluice.mapHttpFunction("error-body-fn", function.url(), 1, "\"EventSourceArn\":\"" + sluice.queueArn("error-body") + "\"");

        await(() -> counts(function.bodies()).equals(Map.of("e1", 2, "e2", 2)), Duration.ofSeconds(20), "two deliveries each");
        sluice.awaitEmpty(queue);
    }

    @Test
    void reportBatchItemFailuresReturnsOnlyTheListedMessages() throws Exception {
        String queue = sluice.createQueue("partial", Map.of("VisibilityTimeout", "1"));
        function.respond(BridgeDeliveryIT::failBadRecordsOnFirstDelivery);
        sendAll(queue, "good1", "bad1", "good2", "bad2", "good3");
        sluice.mapHttpFunction("partial-fn", function.url(), 1, "\"EventSourceArn\":\"" + sluice.queueArn("partial")
                + "\",\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"]");

        await(() -> counts(function.bodies()).equals(Map.of("good1", 1, "good2", 1, "good3", 1, "bad1", 2, "bad2", 2)),
                Duration.ofSeconds(20), "bad records twice, good ones once: " + function.bodies());
        sluice.awaitEmpty(queue);
    }

    @Test
    void withoutReportBatchItemFailuresAReportedFailureIsIgnoredAndEverythingIsDeleted() throws Exception {
        String queue = sluice.createQueue("no-partial", Map.of("VisibilityTimeout", "1"));
        function.respond(BridgeDeliveryIT::failBadRecordsOnFirstDelivery);
        sendAll(queue, "good1", "bad1");
        sluice.mapHttpFunction("no-partial-fn", function.url(), 1, "\"EventSourceArn\":\"" + sluice.queueArn("no-partial") + "\"");

        sluice.awaitEmpty(queue);
        Thread.sleep(1500);
        assertEquals(Map.of("good1", 1, "bad1", 1), counts(function.bodies()));
    }

    @Test
    void anUnknownItemIdentifierFailsTheWholeBatch() throws Exception {
        String queue = sluice.createQueue("unknown-id", Map.of("VisibilityTimeout", "1"));
        function.respond(event -> event.get("Records").get(0).get("attributes").get("ApproximateReceiveCount").asInt() == 1
                ? Reply.ok("{\"batchItemFailures\":[{\"itemIdentifier\":\"no-such-message\"}]}")
                : Reply.ok("{\"batchItemFailures\":[]}"));
        sendAll(queue, "u1", "u2");
        sluice.mapHttpFunction("unknown-id-fn", function.url(), 1, "\"EventSourceArn\":\"" + sluice.queueArn("unknown-id")
                + "\",\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"]");

        await(() -> counts(function.bodies()).equals(Map.of("u1", 2, "u2", 2)), Duration.ofSeconds(20),
                "both delivered twice: " + function.bodies());
        sluice.awaitEmpty(queue);
    }

    @Test
    void batchesOverTenAreGatheredWithinTheBatchingWindow() throws Exception {
        String queue = sluice.createQueue("window", Map.of());
        sendAll(queue, IntStream.range(0, 40).mapToObj(i -> "w" + i).toArray(String[]::new));
        long start = System.nanoTime();
        sluice.mapHttpFunction("window-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("window")
                + "\",\"BatchSize\":40,\"MaximumBatchingWindowInSeconds\":1");

        await(() -> function.bodies().size() >= 40, Duration.ofSeconds(20), "every message invoked");
        int largest = function.events().stream().mapToInt(event -> event.get("Records").size()).max().orElse(0);
        assertTrue(largest > 10, "a batch larger than one receive was gathered; largest " + largest);
        assertTrue(function.events().size() < 40 / 10, "fewer invocations than receives: " + function.events().size());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15));
        sluice.awaitEmpty(queue);
    }

    @Test
    void aFunctionRunningPastItsTimeoutFailsAndTheMessageReturns() throws Exception {
        String queue = sluice.createQueue("slow", Map.of("VisibilityTimeout", "1"));
        function.respond(event -> event.get("Records").get(0).get("attributes").get("ApproximateReceiveCount").asInt() == 1
                ? Reply.okAfter(3000) : Reply.ok("null"));
        sendAll(queue, "slow1");
        sluice.mapHttpFunction("slow-fn", function.url(), 1, "\"EventSourceArn\":\"" + sluice.queueArn("slow") + "\"");

        await(() -> function.bodies().size() == 2, Duration.ofSeconds(20), "a second delivery after the timeout");
        sluice.awaitEmpty(queue);
    }

    @Test
    void anInProcessHandlerFoundThroughServiceLoaderGetsBatchesAndReportsFailures() throws Exception {
        String queue = sluice.createQueue("java-handler", Map.of("VisibilityTimeout", "1"));
        sendAll(queue, "ok-1", "bad-1", "ok-2");
        var created = sluice.post("/v1/functions", "{\"FunctionName\":\"java-fn\",\"Handler\":\"" + FailingBodiesHandler.NAME
                + "\",\"Timeout\":1}");
        assertEquals(201, created.statusCode(), created.body());
        var mapping = sluice.post("/v1/event-source-mappings", "{\"FunctionName\":\"java-fn\",\"EventSourceArn\":\""
                + sluice.queueArn("java-handler") + "\",\"FunctionResponseTypes\":[\"ReportBatchItemFailures\"]}");
        assertEquals(202, mapping.statusCode(), mapping.body());
        String uuid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(mapping.body()).get("UUID").asText();

        await(() -> sluice.approximate(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                + sluice.approximate(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 1,
                Duration.ofSeconds(20), "the two good messages deleted");
        assertEquals(202, sluice.rest.put("/v1/event-source-mappings/" + uuid, "{\"Enabled\":false}").statusCode());
        await(() -> sluice.server.bridge().pollers(uuid) == 0, Duration.ofSeconds(10), "the disabled mapping's pollers to stop");
        Thread.sleep(1200);
        List<String> left = sluice.sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages().stream().map(software.amazon.awssdk.services.sqs.model.Message::body).toList();
        assertEquals(List.of("bad-1"), left);
    }

    @Test
    void filterCriteriaInvokeMatchingRecordsAndDeleteTheRestWithoutAnInvocation() throws Exception {
        String queue = sluice.createQueue("filtered", Map.of());
        sendAll(queue, "{\"severity\":\"critical\",\"n\":1}", "{\"severity\":\"info\",\"n\":2}", "plain text",
                "{\"severity\":\"critical\",\"n\":3}", "PAGE now");
        sluice.mapHttpFunction("filtered-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("filtered")
                + "\",\"FilterCriteria\":{\"Filters\":[{\"Pattern\":\"{\\\"body\\\":{\\\"severity\\\":[\\\"critical\\\"]}}\"},"
                + "{\"Pattern\":\"{\\\"body\\\":[{\\\"prefix\\\":\\\"PAGE\\\"}]}\"}]}");

        sluice.awaitEmpty(queue);
        await(() -> function.bodies().size() == 3, Duration.ofSeconds(5), "the matching records invoked");
        assertEquals(Set.of("{\"severity\":\"critical\",\"n\":1}", "{\"severity\":\"critical\",\"n\":3}", "PAGE now"),
                Set.copyOf(function.bodies()), "only matching records reach the function; the rest were deleted");
        Thread.sleep(500);
        assertEquals(3, function.bodies().size());
    }

    @Test
    void aMappingKeepsItsMetersWhenItIsUpdated() throws Exception {
        String queue = sluice.createQueue("metered", Map.of());
        String uuid = sluice.mapHttpFunction("metered-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("metered") + "\"");
        sendAll(queue, "a1");
        await(() -> invocations("metered-fn") == 1, Duration.ofSeconds(10), "the first invocation counted");

        assertEquals(202, sluice.rest.put("/v1/event-source-mappings/" + uuid, "{\"BatchSize\":5}").statusCode());
        await(() -> sluice.server.bridge().pollers(uuid) >= 1, Duration.ofSeconds(10), "the updated mapping polling");
        Thread.sleep(500);
        sendAll(queue, "a2");
        await(() -> invocations("metered-fn") == 2, Duration.ofSeconds(10), "the invocation after the update counted by the same meter");
        assertTrue(sluice.rest.get("/metrics").body().contains("function=\"metered-fn\""), "still exported");
        assertFalse(sluice.rest.get("/metrics").body().contains(uuid), "labelled by function, not by mapping UUID");
    }

    @Test
    void everyInvocationIsTimedAndNoneCountsAsThrottledWhileTheFunctionHasConcurrencyLeft() throws Exception {
        String queue = sluice.createQueue("timed", Map.of());
        String uuid = sluice.mapHttpFunction("timed-fn", function.url(), 3, "\"EventSourceArn\":\"" + sluice.queueArn("timed") + "\"");
        sendAll(queue, "t1");
        await(() -> invocations("timed-fn") == 1, Duration.ofSeconds(10), "the invocation counted");
        await(() -> timedInvocations("timed-fn") == 1, Duration.ofSeconds(10), "the invocation timed");
        assertEquals(0.0, sluice.server.meters().get("sluice.bridge.throttles").tag("function", "timed-fn").counter().count());
        assertTrue(sluice.rest.get("/metrics").body().contains("sluice_bridge_invocation_duration_seconds_count{function=\"timed-fn\""),
                "exported in seconds");
    }

    private static long timedInvocations(String function) {
        var timer = sluice.server.meters().find("sluice.bridge.invocation.duration").tag("function", function).timer();
        return timer == null ? -1 : timer.count();
    }

    private static double invocations(String function) {
        var counter = sluice.server.meters().find("sluice.bridge.invocations").tag("function", function).counter();
        return counter == null ? -1 : counter.count();
    }

    static Reply failBadRecordsOnFirstDelivery(JsonNode event) {
        StringBuilder failures = new StringBuilder();
        for (JsonNode record : event.get("Records")) {
            if (record.get("body").asText().startsWith("bad") && record.get("attributes").get("ApproximateReceiveCount").asInt() == 1) {
                failures.append(failures.length() == 0 ? "" : ",").append("{\"itemIdentifier\":\"")
                        .append(record.get("messageId").asText()).append("\"}");
            }
        }
        return Reply.ok("{\"batchItemFailures\":[" + failures + "]}");
    }

    private static void sendAll(String queue, String... bodies) {
        for (String body : bodies) {
            sluice.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        }
    }

}
