package dev.sluice.broker.api.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.service.SqsLimits;
import dev.sluice.broker.service.SqsValidator;
import dev.sluice.broker.service.ValidatingQueueClient;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batch rules that fail a whole request, through {@link SqsEndpoint} and the validating edge in
 * both protocols: the JSON answer carries the error's {@code __type} and query-error header, the
 * Query answer its legacy code, both with status 400, and the engine is never called.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SqsBatchRulesTest {

    private static final String QUEUE_URL = "http%3A%2F%2Flocalhost%3A9324%2F000000000000%2Falerts";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ENTRIES = SqsLimits.defaults().maxBatchEntries();

    private final QueueClient engine = GoldenWireTest.client(new AtomicReference<>(),
            CompletableFuture.failedFuture(new AssertionError("the engine must not be called")));
    private final SqsEndpoint endpoint = new SqsEndpoint(new ValidatingQueueClient(engine,
            new SqsValidator(SqsLimits.defaults(), new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()))),
            () -> "req-1");

    /** One batch entry as JSON and as Query parameters without their {@code <Action>RequestEntry.N.} prefix. */
    private record Entry(String json, String query) {
    }

    static Stream<Arguments> violations() {
        List<Arguments> cases = new ArrayList<>();
        for (String action : List.of("SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch")) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i <= MAX_ENTRIES; i++) {
                ids.add("e" + i);
            }
            cases.add(Arguments.of(action, SqsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST, entries(action, ids, "x")));
            cases.add(Arguments.of(action, SqsError.EMPTY_BATCH_REQUEST, List.of()));
            cases.add(Arguments.of(action, SqsError.BATCH_ENTRY_IDS_NOT_DISTINCT,
                    entries(action, List.of("a", "b", "a"), "x")));
            cases.add(Arguments.of(action, SqsError.INVALID_BATCH_ENTRY_ID, entries(action, List.of("a", "b.c"), "x")));
            cases.add(Arguments.of(action, SqsError.INVALID_BATCH_ENTRY_ID,
                    entries(action, List.of("i".repeat(81)), "x")));
        }
        String half = "x".repeat(SqsLimits.defaults().maxBatchPayloadBytes() / 2);
        cases.add(Arguments.of("SendMessageBatch", SqsError.BATCH_REQUEST_TOO_LONG, List.of(
                entry("SendMessageBatch", "a", half), entry("SendMessageBatch", "b", half),
                entry("SendMessageBatch", "c", "x"))));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} answers {1} over JSON")
    @MethodSource("violations")
    void jsonBatchesBreakingARuleFailAsAWhole(String action, SqsError expected, List<Entry> entries) throws Exception {
        String body = "{\"QueueUrl\": \"http://localhost:9324/000000000000/alerts\", \"Entries\": ["
                + String.join(", ", entries.stream().map(Entry::json).toList()) + "]}";
        SqsHttpResponse response = endpoint.handle(new SqsHttpRequest("POST", "application/x-amz-json-1.0",
                "AmazonSQS." + action, null, body.getBytes(StandardCharsets.UTF_8), "", null, null)).get();
        assertEquals(400, response.status());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(expected.jsonType(), error.get("__type").asText());
        assertEquals(expected.legacyCode() + ";Sender", response.headers().get("x-amzn-query-error"));
    }

    @ParameterizedTest(name = "{0} answers {1} over Query")
    @MethodSource("violations")
    void queryBatchesBreakingARuleFailAsAWhole(String action, SqsError expected, List<Entry> entries) throws Exception {
        StringBuilder form = new StringBuilder("Action=" + action + "&QueueUrl=" + QUEUE_URL);
        for (int i = 0; i < entries.size(); i++) {
            for (String parameter : entries.get(i).query().split("&")) {
                form.append('&').append(action).append("RequestEntry.").append(i + 1).append('.').append(parameter);
            }
        }
        SqsHttpResponse response = endpoint.handle(new SqsHttpRequest("POST", "application/x-www-form-urlencoded",
                null, null, form.toString().getBytes(StandardCharsets.UTF_8), "", null, null)).get();
        assertEquals(400, response.status());
        assertTrue(response.bodyText().contains("<Code>" + expected.legacyCode() + "</Code>"), response.bodyText());
    }

    private static List<Entry> entries(String action, List<String> ids, String body) {
        return ids.stream().map(id -> entry(action, id, body)).toList();
    }

    /** An entry that is valid on its own, so only the batch rule under test can fail. */
    private static Entry entry(String action, String id, String body) {
        return switch (action) {
            case "SendMessageBatch" -> new Entry("{\"Id\": \"" + id + "\", \"MessageBody\": \"" + body + "\"}",
                    "Id=" + id + "&MessageBody=" + body);
            case "DeleteMessageBatch" -> new Entry("{\"Id\": \"" + id + "\", \"ReceiptHandle\": \"rh\"}",
                    "Id=" + id + "&ReceiptHandle=rh");
            default -> new Entry("{\"Id\": \"" + id + "\", \"ReceiptHandle\": \"rh\", \"VisibilityTimeout\": 5}",
                    "Id=" + id + "&ReceiptHandle=rh&VisibilityTimeout=5");
        };
    }
}
