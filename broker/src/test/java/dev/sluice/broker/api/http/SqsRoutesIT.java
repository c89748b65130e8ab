package dev.sluice.broker.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.service.SqsLimits;
import dev.sluice.clientsdk.SqsError;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SqsRoutes} on a real Vert.x server over a canned queue client, driven by a plain HTTP
 * client: Query requests over GET, the body bound, and bad input answered with SQS's error in the
 * protocol the request spoke, never a 500.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SqsRoutesIT {

    private static final String JSON_TYPE = "application/x-amz-json-1.0";
    private static final String FORM_TYPE = "application/x-www-form-urlencoded";
    private static final SqsLimits LIMITS = SqsLimits.defaults();

    private static CannedSqsServer server;
    private static String endpoint;
    private static HttpClient http;

    @BeforeAll
    static void startServer() throws Exception {
        server = CannedSqsServer.start(LIMITS);
        endpoint = server.endpoint();
        http = server.vertx().createHttpClient();
    }

    @AfterAll
    static void stopServer() throws Exception {
        http.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void aQueryRequestOverGetIsServedLikeAPost() throws Exception {
        Answer response = get("/?Action=ListQueues&QueueNamePrefix=al&Version=2012-11-05");
        assertEquals(200, response.status(), response.body());
        assertEquals("text/xml", response.contentType());
        assertTrue(response.body().contains("<ListQueuesResult><QueueUrl>" + endpoint + "/000000000000/alerts"
                + "</QueueUrl></ListQueuesResult>"), response.body());
    }

    @Test
    void aQueryRequestOverGetToAQueuePathTakesTheQueueFromThePath() throws Exception {
        Answer tags = get("/000000000000/alerts?Action=ListQueueTags");
        assertEquals(200, tags.status(), tags.body());
        assertTrue(tags.body().contains("<Tag><Key>team</Key><Value>ops</Value></Tag>"), tags.body());
        Answer missing = get("/000000000000/missing?Action=ListQueueTags");
        assertQueryError(SqsError.QUEUE_DOES_NOT_EXIST, missing);
    }

    @Test
    void aBodyOverTheBoundIsRefusedWith413InTheRequestsProtocol() throws Exception {
        String oversize = "x".repeat((int) (LIMITS.maxBatchPayloadBytes() * 4L + 1));
        assertJsonError(SqsError.REQUEST_ENTITY_TOO_LARGE,
                post("/", JSON_TYPE, "AmazonSQS.SendMessageBatch", "{\"QueueUrl\": \"" + oversize + "\"}"));
        assertQueryError(SqsError.REQUEST_ENTITY_TOO_LARGE,
                post("/", FORM_TYPE, null, "Action=SendMessageBatch&QueueUrl=" + oversize));
    }

    @Test
    void malformedJsonIsASerializationException() throws Exception {
        assertJsonError(SqsError.SERIALIZATION_EXCEPTION,
                post("/", JSON_TYPE, "AmazonSQS.SendMessage", "{\"QueueUrl\": "));
        assertJsonError(SqsError.SERIALIZATION_EXCEPTION,
                post("/", JSON_TYPE, "AmazonSQS.ListQueues", "not json at all"));
    }

    /** AWS's common errors give MalformedQueryString status 404, not 400. */
    @Test
    void aMalformedFormBodyOrQueryStringIsAMalformedQueryString() throws Exception {
        assertQueryError(SqsError.MALFORMED_QUERY_STRING,
                post("/", FORM_TYPE, null, "Action=ListQueues&QueueNamePrefix=%zz"));
        assertQueryError(SqsError.MALFORMED_QUERY_STRING, get("/?Action=ListQueues&QueueNamePrefix=%zz"));
    }

    @Test
    void anUnknownActionIsAnInvalidActionInEitherProtocol() throws Exception {
        assertJsonError(SqsError.INVALID_ACTION, post("/", JSON_TYPE, "AmazonSQS.Explode", "{}"));
        assertJsonError(SqsError.INVALID_ACTION, post("/", JSON_TYPE, null, "{}"));
        assertQueryError(SqsError.INVALID_ACTION, post("/", FORM_TYPE, null, "Action=Explode"));
        assertQueryError(SqsError.INVALID_ACTION, get("/?Action=Explode"));
    }

    @Test
    void aQueryRequestWithoutActionIsAMissingAction() throws Exception {
        assertQueryError(SqsError.MISSING_ACTION, post("/", FORM_TYPE, null, "QueueName=alerts"));
        assertQueryError(SqsError.MISSING_ACTION, post("/", FORM_TYPE, null, ""));
        assertQueryError(SqsError.MISSING_ACTION, get("/"));
    }

    private static void assertJsonError(SqsError expected, Answer answer) {
        assertEquals(expected.httpStatus(), answer.status(), answer.body());
        assertEquals(JSON_TYPE, answer.contentType());
        assertTrue(answer.body().contains("\"__type\":\"" + expected.jsonType() + "\""), answer.body());
        assertEquals(expected.legacyCode() + ";Sender", answer.queryError());
    }

    private static void assertQueryError(SqsError expected, Answer answer) {
        assertEquals(expected.httpStatus(), answer.status(), answer.body());
        assertEquals("text/xml", answer.contentType());
        assertTrue(answer.body().contains("<Type>Sender</Type><Code>" + expected.legacyCode() + "</Code>"),
                answer.body());
    }

    /** What came back: status, content type, the JSON protocol's x-amzn-query-error header and the body. */
    private record Answer(int status, String contentType, String queryError, String body) {
    }

    /** The request URI goes out as written, so malformed escapes reach the server. */
    private static Answer get(String requestUri) throws Exception {
        return send(new RequestOptions().setMethod(HttpMethod.GET).setURI(requestUri), "");
    }

    private static Answer post(String path, String contentType, String target, String body) throws Exception {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                .putHeader("Content-Type", contentType);
        if (target != null) {
            options.putHeader("X-Amz-Target", target);
        }
        return send(options, body);
    }

    /**
     * Runs the exchange on a Vert.x context: chained from a test thread, a response could arrive
     * before its body handler is set, and the body would be lost.
     */
    private static Answer send(RequestOptions options, String body) throws Exception {
        options.setHost("127.0.0.1").setPort(server.port());
        Promise<Answer> answer = Promise.promise();
        server.vertx().getOrCreateContext().runOnContext(ignored -> http.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(content -> new Answer(response.statusCode(),
                        response.getHeader("Content-Type"), response.getHeader("x-amzn-query-error"),
                        content.toString())))
                .onComplete(answer));
        return answer.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
