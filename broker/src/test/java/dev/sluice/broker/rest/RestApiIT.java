package dev.sluice.broker.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.api.rest.RawBody;
import dev.sluice.broker.rest.RestClient.Answer;
import dev.sluice.broker.sqs.SqsTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The REST API {@code /v1} on a running server, driven curl-style with Vert.x WebClient, with the
 * AWS SDK v2 SQS client as the second reader of what REST stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestApiIT {
    private static final AtomicInteger QUEUES = new AtomicInteger();
    private static final int MIB = 1024 * 1024;

    private SqsTestServer server;
    private RestClient rest;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
        rest = new RestClient(server.port());
    }

    @AfterAll
    void stop() throws Exception {
        rest.close();
        server.close();
    }

    @Test
    void queuesAreCreatedListedDescribedAndDeleted() throws Exception {
        String name = "rest-life-" + QUEUES.incrementAndGet();
        Answer created = rest.put("/v1/queues/" + name, "{\"attributes\":{\"VisibilityTimeout\":\"45\"},\"tags\":{\"team\":\"ops\"}}");
        assertEquals(200, created.status(), created.text());
        assertEquals(name, created.json().getString("name"));
        String url = created.json().getString("url");
        assertTrue(url.endsWith("/000000000000/" + name), url);
        assertEquals(200, rest.put("/v1/queues/" + name, "{\"attributes\":{\"VisibilityTimeout\":\"45\"}}").status());
        assertEquals("QueueNameExists",
                rest.put("/v1/queues/" + name, "{\"attributes\":{\"VisibilityTimeout\":\"46\"}}").json().getString("code"));

        rest.post("/v1/queues/" + name + "/messages", Map.of(), "one".getBytes(StandardCharsets.UTF_8));
        JsonObject described = rest.get("/v1/queues/" + name).json();
        assertEquals("45", described.getJsonObject("attributes").getString("VisibilityTimeout"));
        assertEquals(new JsonObject().put("visible", 1).put("inFlight", 0).put("delayed", 0),
                described.getJsonObject("depth"));

        JsonArray listed = rest.get("/v1/queues?prefix=" + name).json().getJsonArray("queues");
        assertEquals(new JsonArray().add(new JsonObject().put("name", name).put("url", url)), listed);

        assertEquals(204, rest.delete("/v1/queues/" + name).status());
        Answer gone = rest.get("/v1/queues/" + name);
        assertEquals(404, gone.status());
        assertEquals("QueueDoesNotExist", gone.json().getString("code"));
        assertTrue(gone.json().containsKey("requestId"));
    }

    @Test
    void aTextBodyIsTheSqsBodyAndComesBackByteForByte() throws Exception {
        String name = queue(Map.of());
        String alert = "{\"status\":\"firing\",\"labels\":{\"alertname\":\"DiskFull\",\"host\":\"db-1\"},\"note\":\"\u00e9\u2603\"}";
        Answer sent = rest.post("/v1/queues/" + name + "/messages?attribute.source=alertmanager",
                Map.of("Content-Type", "application/json", "Sluice-Attribute-severity", "page"),
                alert.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, sent.status(), sent.text());
        String messageId = sent.json().getString("messageId");

        Message viaSqs = server.sqs().receiveMessage(b -> b.queueUrl(urlOf(name)).messageAttributeNames("All")
                .waitTimeSeconds(5).visibilityTimeout(0)).messages().get(0);
        assertEquals(alert, viaSqs.body());
        assertEquals(messageId, viaSqs.messageId());
        assertEquals("page", viaSqs.messageAttributes().get("severity").stringValue());
        assertEquals("alertmanager", viaSqs.messageAttributes().get("source").stringValue());

        Answer raw = rest.get("/v1/queues/" + name + "/messages/next?wait=5");
        assertEquals(200, raw.status());
        assertArrayEquals(alert.getBytes(StandardCharsets.UTF_8), raw.body());
        assertEquals("text/plain; charset=utf-8", raw.contentType());
        assertEquals(messageId, raw.header("Sluice-Message-Id"));
        assertEquals("page", raw.header("Sluice-Attribute-severity"));
        assertEquals("2", raw.header("Sluice-Receive-Count"));
    }

    @Test
    void aOneMebibyteBinaryBodyRoundTripsByteForByte() throws Exception {
        String name = queue(Map.of("MaximumMessageSize", Integer.toString(MIB)));
        byte[] body = new byte[MIB];
        new Random(5).nextBytes(body);
        Answer sent = rest.post("/v1/queues/" + name + "/messages", Map.of("Content-Type", "application/octet-stream"), body);
        assertEquals(200, sent.status(), sent.text());
        assertEquals(md5(body), sent.json().getString("md5OfBody"));

        Answer raw = rest.get("/v1/queues/" + name + "/messages/next?wait=5");
        assertEquals(200, raw.status());
        assertEquals("application/octet-stream", raw.contentType());
        assertArrayEquals(body, raw.body());

        // One byte more does not fit the queue's 1 MiB: the bytes count as the body, as text would.
        byte[] tooLarge = new byte[body.length + 1];
        Answer refused = rest.post("/v1/queues/" + name + "/messages", Map.of(), tooLarge);
        assertEquals(400, refused.status());
        assertEquals("InvalidParameterValue", refused.json().getString("code"));
    }

    @Test
    void aOneMebibyteTextBodyRoundTripsByteForByte() throws Exception {
        String name = queue(Map.of("MaximumMessageSize", Integer.toString(MIB)));
        byte[] body = "{\"log\":\"".concat("x".repeat(MIB - 10)).concat("\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(MIB, body.length);
        assertEquals(200, rest.post("/v1/queues/" + name + "/messages", Map.of("Content-Type", "application/json"), body)
                .status());
        Answer raw = rest.get("/v1/queues/" + name + "/messages/next?wait=5");
        assertArrayEquals(body, raw.body());
        byte[] oneMore = java.util.Arrays.copyOf(body, MIB + 1);
        oneMore[MIB] = ' ';
        assertEquals("InvalidParameterValue", rest.post("/v1/queues/" + name + "/messages", Map.of(), oneMore).json()
                .getString("code"));
    }

    @Test
    void aBinaryBodyReachesSqsClientsAsAValidStringBodyWithTheBytesInAnAttribute() throws Exception {
        String name = queue(Map.of());
        byte[] body = {(byte) 0xff, 0, 1, (byte) 0xc3, 0x28, 'x'};
        assertEquals(200, rest.post("/v1/queues/" + name + "/messages", Map.of(), body).status());
        Message viaSqs = server.sqs().receiveMessage(b -> b.queueUrl(urlOf(name)).messageAttributeNames("All")
                .waitTimeSeconds(5).visibilityTimeout(0)).messages().get(0);
        assertEquals(RawBody.PLACEHOLDER, viaSqs.body());
        assertArrayEquals(body, viaSqs.messageAttributes().get(RawBody.ATTRIBUTE).binaryValue().asByteArray());

        JsonObject received = rest.get("/v1/queues/" + name + "/messages?max=10&wait=5").json()
                .getJsonArray("messages").getJsonObject(0);
        assertNull(received.getString("body"));
        assertArrayEquals(body, Base64.getDecoder().decode(received.getString("bodyBase64")));
        assertTrue(received.getJsonObject("messageAttributes").isEmpty(), received.encode());
    }

    @Test
    void receivedMessagesAreDeletedAndMadeVisibleAgainByReceiptHandle() throws Exception {
        String name = queue(Map.of());
        rest.post("/v1/queues/" + name + "/messages?delay=0", Map.of(), "first".getBytes(StandardCharsets.UTF_8));
        rest.post("/v1/queues/" + name + "/messages", Map.of("Sluice-Delay-Seconds", "0"),
                "second".getBytes(StandardCharsets.UTF_8));
        JsonArray messages = new JsonArray();
        for (int i = 0; i < 5 && messages.size() < 2; i++) {
            rest.get("/v1/queues/" + name + "/messages?max=10&wait=2&visibility=300").json().getJsonArray("messages")
                    .forEach(messages::add);
        }
        assertEquals(2, messages.size());
        JsonObject first = messages.getJsonObject(0);
        JsonObject second = messages.getJsonObject(1);
        assertEquals("1", first.getJsonObject("attributes").getString("ApproximateReceiveCount"));

        assertEquals(204, rest.delete("/v1/queues/" + name + "/messages/" + first.getString("receiptHandle")).status());
        assertEquals(204, rest.send(io.vertx.core.http.HttpMethod.PUT, "/v1/queues/" + name + "/messages/"
                + second.getString("receiptHandle") + "/visibility?timeout=0", Map.of(), null).status());
        Answer again = rest.get("/v1/queues/" + name + "/messages/next?wait=5");
        assertEquals(second.getString("body"), again.text());
        assertEquals(new JsonObject().put("visible", 0).put("inFlight", 1).put("delayed", 0),
                rest.get("/v1/queues/" + name).json().getJsonObject("depth"));
    }

    @Test
    void fifoMetadataComesFromQueryParametersOrHeaders() throws Exception {
        String name = "rest-fifo-" + QUEUES.incrementAndGet() + ".fifo";
        assertEquals(200, rest.put("/v1/queues/" + name, "{\"attributes\":{\"FifoQueue\":\"true\"}}").status());
        String messages = "/v1/queues/" + name + "/messages";
        JsonObject first = rest.post(messages + "?groupId=host-1&deduplicationId=alert-1", Map.of(),
                "first".getBytes(StandardCharsets.UTF_8)).json();
        JsonObject again = rest.post(messages, Map.of("Sluice-Message-Group-Id", "host-1",
                "Sluice-Message-Deduplication-Id", "alert-1"), "first, resent".getBytes(StandardCharsets.UTF_8)).json();
        assertEquals(first.getString("messageId"), again.getString("messageId"), "deduplicated");
        assertEquals(first.getString("sequenceNumber"), again.getString("sequenceNumber"));
        assertError(400, "MissingParameter", rest.post(messages + "?deduplicationId=x", Map.of(), "x".getBytes()));

        JsonObject received = rest.get(messages + "?max=10&wait=5").json().getJsonArray("messages").getJsonObject(0);
        assertEquals("first", received.getString("body"));
        assertEquals("host-1", received.getJsonObject("attributes").getString("MessageGroupId"));
        assertEquals(first.getString("sequenceNumber"), received.getJsonObject("attributes").getString("SequenceNumber"));
    }

    @Test
    void aLongPollWithNothingToReceiveAnswersNoContent() throws Exception {
        String name = queue(Map.of());
        long started = System.nanoTime();
        Answer answer = rest.get("/v1/queues/" + name + "/messages/next?wait=1");
        assertEquals(204, answer.status());
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(900));
        assertEquals(new JsonArray(), rest.get("/v1/queues/" + name + "/messages?wait=0").json().getJsonArray("messages"));
    }

    @Test
    void aLongPollEndsWhenItsClientHangsUp() throws Exception {
        String name = queue(Map.of());
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET /v1/queues/" + name + "/messages/next?wait=20 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            server.awaitWaiters(1);
        }
        long closed = System.nanoTime();
        server.awaitWaiters(0);
        assertTrue(System.nanoTime() - closed < TimeUnit.SECONDS.toNanos(10), "the waiter left with its client");
    }

    @Test
    void badInputIsAJsonErrorWithTheSqsCode() throws Exception {
        String name = queue(Map.of());
        String messages = "/v1/queues/" + name + "/messages";
        assertError(400, "MissingParameter", rest.post(messages, Map.of(), new byte[0]));
        assertError(400, "InvalidParameterValue", rest.post(messages + "?delay=soon", Map.of(), "x".getBytes()));
        assertError(400, "InvalidParameterValue", rest.post(messages + "?delay=901", Map.of(), "x".getBytes()));
        assertError(400, "InvalidParameterValue", rest.post(messages, Map.of("Sluice-Attribute-Sluice.RawBody", "x"),
                "x".getBytes()));
        assertError(400, "InvalidParameterValue", rest.get(messages + "?max=11"));
        assertError(400, "InvalidParameterValue", rest.get(messages + "?wait=21"));
        assertError(400, "ReceiptHandleIsInvalid", rest.delete(messages + "/not-a-handle"));
        assertError(400, "MissingParameter", rest.send(io.vertx.core.http.HttpMethod.PUT,
                messages + "/not-a-handle/visibility", Map.of(), null));
        assertError(404, "QueueDoesNotExist", rest.post("/v1/queues/no-such-queue/messages", Map.of(), "x".getBytes()));
        assertError(400, "InvalidAddress", rest.get("/v1/queues/" + name + "%3Fx"));
        assertError(400, "InvalidParameterValue", rest.put("/v1/queues/bad%20name", null));
        assertError(400, "SerializationException", rest.put("/v1/queues/" + name, "{not json"));
        assertError(404, "InvalidAction", rest.get("/v1/nothing-here"));
        assertError(413, "RequestEntityTooLarge", rest.post(messages, Map.of(), new byte[5 * MIB]));
    }

    private static void assertError(int status, String code, Answer answer) {
        assertEquals(status, answer.status(), answer.text());
        assertEquals("application/json", answer.contentType());
        assertEquals(code, answer.json().getString("code"), answer.text());
    }

    private String queue(Map<String, String> attributes) throws Exception {
        String name = "rest-" + QUEUES.incrementAndGet();
        Answer created = rest.put("/v1/queues/" + name, new JsonObject().put("attributes", new JsonObject(
                Map.copyOf(attributes))).encode());
        assertEquals(200, created.status(), created.text());
        return name;
    }

    private String urlOf(String name) {
        return "http://127.0.0.1:" + server.port() + "/000000000000/" + name;
    }

    private static String md5(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
    }

}
