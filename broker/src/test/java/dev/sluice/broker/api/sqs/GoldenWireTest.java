package dev.sluice.broker.api.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsAction;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.*;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden request/response bytes per action and protocol (src/test/resources/golden): the request
 * file must decode to the expected record, and the scripted response record must encode to the
 * response file (JSON compared as trees, XML with the whitespace between tags removed).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class GoldenWireTest {

    private static final String QUEUE = GoldenWireCases.QUEUE;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyActionHasAGoldenCase() {
        Set<String> covered = GoldenWireCases.all().map(arguments -> (String) arguments.get()[0])
                .collect(Collectors.toSet());
        Set<String> actions = Stream.of(SqsAction.values()).map(SqsAction::wireName).collect(Collectors.toSet());
        assertEquals(actions, covered);
    }

    @ParameterizedTest(name = "{0} over JSON decodes and encodes as the golden files say")
    @MethodSource("dev.sluice.broker.api.sqs.GoldenWireCases#all")
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
    @MethodSource("dev.sluice.broker.api.sqs.GoldenWireCases#all")
    void queryMatchesTheGoldenFiles(String action, Object request, Object response) throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        SqsHttpResponse answer = endpoint(seen, response).handle(queryRequest(text("query/" + action + ".request.txt")))
                .get();
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
    void tagQueueAlsoReadsTheTagPrefixesOfCreateQueueAndOfTheApiReferenceExample() throws Exception {
        String queue = "QueueUrl=http%3A%2F%2Flocalhost%3A9324%2F000000000000%2Falerts";
        for (String tags : List.of("Tag.1.Key=team&Tag.1.Value=ops&Tag.2.Key=cost-center&Tag.2.Value=4+2",
                "Tag.Key=team&Tag.Value=ops&Tags.1.Key=cost-center&Tags.1.Value=4%202")) {
            AtomicReference<Object> seen = new AtomicReference<>();
            endpoint(seen, new TagQueueResponse()).handle(queryRequest("Action=TagQueue&" + queue + "&" + tags)).get();
            assertEquals(new TagQueueRequest(QUEUE, GoldenWireCases.tags()), seen.get(), tags);
        }
    }

    @Test
    void untagQueueReadsTheBareTagKeyOfTheApiReferenceExample() throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        endpoint(seen, new UntagQueueResponse()).handle(queryRequest("Action=UntagQueue&TagKey=QueueType")).get();
        assertEquals(List.of("QueueType"), ((UntagQueueRequest) seen.get()).tagKeys());
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

    private static SqsHttpRequest queryRequest(String form) {
        return new SqsHttpRequest("POST", "application/x-www-form-urlencoded; charset=utf-8", null, null,
                form.getBytes(StandardCharsets.UTF_8), "http://localhost:9324", null, null);
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
