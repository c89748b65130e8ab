package dev.sluice.broker.api.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.*;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden request/response bytes per action and protocol (src/test/resources/golden): the request
 * file must decode to the expected record, and the scripted response record must encode to the
 * response file (JSON compared as trees, XML with the whitespace between tags removed).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GoldenWireTest {

    private static final String QUEUE = "http://localhost:9324/000000000000/alerts";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() {
        Map<String, MessageAttributeValue> sendAttributes = new LinkedHashMap<>();
        sendAttributes.put("severity", MessageAttributeValue.ofString("String", "critical"));
        sendAttributes.put("blob", MessageAttributeValue.ofBinary("Binary", new byte[] {1, 2, 3}));
        Map<String, String> queueAttributes = new LinkedHashMap<>();
        queueAttributes.put("VisibilityTimeout", "30");
        queueAttributes.put("DelaySeconds", "0");
        Map<String, String> createAttributes = new LinkedHashMap<>();
        createAttributes.put("FifoQueue", "true");
        createAttributes.put("VisibilityTimeout", "60");
        return Stream.of(
                Arguments.of("CreateQueue",
                        new CreateQueueRequest("alerts.fifo", createAttributes, Map.of("team", "ops")),
                        new CreateQueueResponse("http://localhost:9324/000000000000/alerts.fifo")),
                Arguments.of("SendMessage",
                        new SendMessageRequest(QUEUE, "disk full & hot", 5, sendAttributes,
                                Map.of("AWSTraceHeader", MessageAttributeValue.ofString("String", "Root=1-abc")), "d1", "g1"),
                        new SendMessageResponse("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210",
                                null, "m-1", "18849496460467696128")),
                Arguments.of("SendMessageBatch",
                        new SendMessageBatchRequest(QUEUE, List.of(
                                new SendMessageBatchRequestEntry("a", "one", null, null, null, null, null),
                                new SendMessageBatchRequestEntry("b", "two", 10,
                                        Map.of("k", MessageAttributeValue.ofString("Number", "7")), null, null, null))),
                        new SendMessageBatchResponse(
                                List.of(new SendMessageBatchResultEntry("a", "m-a", "0123456789abcdef0123456789abcdef",
                                        null, null, null)),
                                List.of(new BatchResultErrorEntry("b", false, "InternalError", "try again")))),
                Arguments.of("ReceiveMessage",
                        new ReceiveMessageRequest(QUEUE, List.of("SentTimestamp"), List.of("ApproximateReceiveCount"),
                                List.of("All"), 10, 30, 20, "attempt-1"),
                        new ReceiveMessageResponse(List.of(new Message("m-1", "rh-1", "0123456789abcdef0123456789abcdef",
                                "a <b> & c", Map.of("SentTimestamp", "1700000000000"),
                                "fedcba9876543210fedcba9876543210", sendAttributes)))),
                Arguments.of("GetQueueAttributes",
                        new GetQueueAttributesRequest(QUEUE, List.of("All")),
                        new GetQueueAttributesResponse(queueAttributes)),
                Arguments.of("DeleteQueue", new DeleteQueueRequest(QUEUE), new DeleteQueueResponse()));
    }

    @ParameterizedTest(name = "{0} over JSON decodes and encodes as the golden files say")
    @MethodSource("cases")
    void jsonMatchesTheGoldenFiles(String action, Object request, Object response) throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        SqsHttpResponse answer = endpoint(seen, response).handle(new SqsHttpRequest("POST",
                "application/x-amz-json-1.0", "AmazonSQS." + action, null, read("json/" + action + ".request.json"),
                "http://localhost:9324", null, null)).get();
        assertEquals(request, seen.get());
        assertEquals(200, answer.status());
        assertEquals(JSON.readTree(read("json/" + action + ".response.json")), JSON.readTree(answer.body()));
    }

    @ParameterizedTest(name = "{0} over Query decodes and encodes as the golden files say")
    @MethodSource("cases")
    void queryMatchesTheGoldenFiles(String action, Object request, Object response) throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        SqsHttpResponse answer = endpoint(seen, response).handle(new SqsHttpRequest("POST",
                "application/x-www-form-urlencoded; charset=utf-8", null, null,
                (text("query/" + action + ".request.txt")).getBytes(StandardCharsets.UTF_8),
                "http://localhost:9324", null, null)).get();
        assertEquals(request, seen.get());
        assertEquals(200, answer.status());
        assertEquals(compactXml(text("query/" + action + ".response.xml")), answer.bodyText());
    }

    @Test
    void aQueryRequestPostedToTheQueuePathTakesItsQueueUrlFromThePath() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        endpoint(seen, new DeleteQueueResponse()).handle(new SqsHttpRequest("POST",
                "application/x-www-form-urlencoded", null, null, "Action=DeleteQueue".getBytes(StandardCharsets.UTF_8),
                "http://localhost:9324", "000000000000", "alerts")).get();
        assertEquals(new DeleteQueueRequest(QUEUE), seen.get());
    }

    @Test
    void queueDoesNotExistMatchesTheGoldenErrorInBothProtocols() throws Exception {
        QueueClient failing = client(new AtomicReference<>(),
                CompletableFuture.failedFuture(SqsError.QUEUE_DOES_NOT_EXIST.exception()));
        SqsEndpoint endpoint = new SqsEndpoint(failing, () -> "req-1");
        SqsHttpResponse json = endpoint.handle(new SqsHttpRequest("POST", "application/x-amz-json-1.0",
                "AmazonSQS.DeleteQueue", null, read("json/DeleteQueue.request.json"), "", null, null)).get();
        assertEquals(400, json.status());
        assertEquals("AWS.SimpleQueueService.NonExistentQueue;Sender", json.headers().get("x-amzn-query-error"));
        assertEquals(JSON.readTree(read("json/QueueDoesNotExist.error.json")), JSON.readTree(json.body()));
        SqsHttpResponse query = endpoint.handle(new SqsHttpRequest("POST", "application/x-www-form-urlencoded", null,
                null, read("query/DeleteQueue.request.txt"), "", null, null)).get();
        assertEquals(400, query.status());
        assertEquals(compactXml(text("query/QueueDoesNotExist.error.xml")), query.bodyText());
    }

    private static SqsEndpoint endpoint(AtomicReference<Object> seen, Object response) {
        return new SqsEndpoint(client(seen, CompletableFuture.completedFuture(response)), () -> "req-1");
    }

    /** A client whose every method records its request and answers {@code answer}. */
    static QueueClient client(AtomicReference<Object> seen, CompletableFuture<?> answer) {
        return (QueueClient) Proxy.newProxyInstance(QueueClient.class.getClassLoader(), new Class<?>[] {QueueClient.class},
                (proxy, method, arguments) -> {
                    seen.set(arguments[0]);
                    return answer;
                });
    }

    private static String compactXml(String xml) {
        return xml.strip().replaceAll(">\\s+<", "><");
    }

    private static String text(String resource) throws IOException {
        return new String(read(resource), StandardCharsets.UTF_8).strip();
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = GoldenWireTest.class.getResourceAsStream("/golden/" + resource)) {
            return in.readAllBytes();
        }
    }
}
