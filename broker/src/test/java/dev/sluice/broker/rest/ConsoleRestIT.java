package dev.sluice.broker.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.rest.RestClient.Answer;
import dev.sluice.broker.sqs.SqsTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The REST operations the console needs beyond create, send and receive: attributes, tags, purge, peek (read only:
 * receive counts and visibility checked through the AWS SDK), dead-letter sources and move tasks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConsoleRestIT {
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

    private String create(String name, String body) throws Exception {
        Answer created = rest.put("/v1/queues/" + name, body);
        assertEquals(200, created.status(), created.text());
        return created.json().getString("url");
    }

    private void send(String name, String body) throws Exception {
        assertEquals(200, rest.post("/v1/queues/" + name + "/messages", Map.of(), body.getBytes(StandardCharsets.UTF_8)).status());
    }

    @Test
    void attributesChangeAndOutOfRangeValuesAreRefusedWithTheSqsCode() throws Exception {
        create("rest-attributes", null);
        assertEquals(204, rest.put("/v1/queues/rest-attributes/attributes",
                "{\"attributes\":{\"VisibilityTimeout\":\"75\",\"DelaySeconds\":\"3\"}}").status());
        JsonObject attributes = rest.get("/v1/queues/rest-attributes").json().getJsonObject("attributes");
        assertEquals("75", attributes.getString("VisibilityTimeout"));
        assertEquals("3", attributes.getString("DelaySeconds"));
        Answer refused = rest.put("/v1/queues/rest-attributes/attributes", "{\"attributes\":{\"VisibilityTimeout\":\"43201\"}}");
        assertEquals(400, refused.status());
        assertEquals("InvalidAttributeValue", refused.json().getString("code"), refused.text());
        assertEquals(404, rest.put("/v1/queues/rest-missing/attributes", "{\"attributes\":{\"DelaySeconds\":\"1\"}}").status());
    }

    @Test
    void tagsAreAddedListedAndRemovedByKey() throws Exception {
        create("rest-tags", "{\"tags\":{\"team\":\"ops\"}}");
        assertEquals(204, rest.put("/v1/queues/rest-tags/tags", "{\"tags\":{\"env\":\"prod\",\"a/b:c\":\"x=y@z\"}}").status());
        assertEquals(new JsonObject().put("team", "ops").put("env", "prod").put("a/b:c", "x=y@z"),
                rest.get("/v1/queues/rest-tags/tags").json().getJsonObject("tags"));
        assertEquals(204, rest.delete("/v1/queues/rest-tags/tags?key=team&key=a%2Fb%3Ac").status());
        assertEquals(new JsonObject().put("env", "prod"), rest.get("/v1/queues/rest-tags/tags").json().getJsonObject("tags"));
    }

    @Test
    void purgeDeletesEveryMessage() throws Exception {
        String url = create("rest-purge", null);
        send("rest-purge", "one");
        send("rest-purge", "two");
        assertEquals(204, rest.delete("/v1/queues/rest-purge/messages").status());
        assertEquals("0", server.sqs.getQueueAttributes(request -> request.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    @Test
    void peekShowsMessagesWithoutReceivingThem() throws Exception {
        String url = create("rest-peek", null);
        send("rest-peek", "first");
        send("rest-peek", "second <b>");
        Message received = server.sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(1)
                .visibilityTimeout(600)).messages().get(0);
        assertEquals("first", received.body());

        JsonArray peeked = rest.get("/v1/queues/rest-peek/messages/peek?max=10").json().getJsonArray("messages");
        assertEquals(2, peeked.size(), peeked.encode());
        JsonObject first = peeked.getJsonObject(0);
        assertEquals("first", first.getString("body"));
        assertEquals("IN_FLIGHT", first.getString("state"));
        assertEquals("1", first.getJsonObject("attributes").getString("ApproximateReceiveCount"));
        assertTrue(first.getLong("visibleAt") > System.currentTimeMillis() + 500_000);
        assertEquals(null, first.getString("receiptHandle"));
        JsonObject second = peeked.getJsonObject(1);
        assertEquals("second <b>", second.getString("body"));
        assertEquals("VISIBLE", second.getString("state"));
        assertEquals("0", second.getJsonObject("attributes").getString("ApproximateReceiveCount"));

        // Peeking again and again changes nothing: the visible message is received for the first time, the in-flight
        // one stays hidden until its own timeout.
        rest.get("/v1/queues/rest-peek/messages/peek");
        Message next = server.sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
        assertEquals("second <b>", next.body());
        assertEquals("1", next.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        assertEquals("2", server.sqs.getQueueAttributes(request -> request.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void peekIsBoundedAndNamesOnlyExistingQueues() throws Exception {
        create("rest-peek-bounds", null);
        for (int i = 0; i < 3; i++) {
            send("rest-peek-bounds", "m" + i);
        }
        JsonArray two = rest.get("/v1/queues/rest-peek-bounds/messages/peek?max=2").json().getJsonArray("messages");
        assertEquals(List.of("m0", "m1"), two.stream().map(m -> ((JsonObject) m).getString("body")).toList());
        for (String max : List.of("0", "101", "x")) {
            Answer refused = rest.get("/v1/queues/rest-peek-bounds/messages/peek?max=" + max);
            assertEquals(400, refused.status(), max);
            assertEquals("InvalidParameterValue", refused.json().getString("code"));
        }
        assertEquals(404, rest.get("/v1/queues/rest-peek-missing/messages/peek").status());
    }

    @Test
    void aDeadLetterQueueListsItsSourcesAndRedrivesThemAtAChosenRate() throws Exception {
        String dlqUrl = create("rest-dlq", null);
        String dlqArn = server.sqs.getQueueAttributes(request -> request.queueUrl(dlqUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String sourceUrl = create("rest-dlq-source", new JsonObject().put("attributes", new JsonObject()
                .put("RedrivePolicy", new JsonObject().put("deadLetterTargetArn", dlqArn).put("maxReceiveCount", 1).encode()))
                .encode());
        assertEquals(new JsonArray().add(new JsonObject().put("name", "rest-dlq-source").put("url", sourceUrl)),
                rest.get("/v1/queues/rest-dlq/dead-letter-sources").json().getJsonArray("queues"));

        send("rest-dlq-source", "poison");
        server.sqs.receiveMessage(request -> request.queueUrl(sourceUrl).visibilityTimeout(0));
        server.sqs.receiveMessage(request -> request.queueUrl(sourceUrl).waitTimeSeconds(1));
        awaitDepth(dlqUrl, "1");

        Answer started = rest.send(io.vertx.core.http.HttpMethod.POST, "/v1/queues/rest-dlq/move-tasks",
                Map.of("Content-Type", "application/json"), "{\"maxMessagesPerSecond\":5}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, started.status(), started.text());
        String handle = started.json().getString("taskHandle");
        awaitDepth(sourceUrl, "1");
        JsonObject task = rest.get("/v1/queues/rest-dlq/move-tasks").json().getJsonArray("tasks").getJsonObject(0);
        // As in SQS, a task's handle is listed only while it runs.
        assertTrue(handle.equals(task.getString("taskHandle")) || !"RUNNING".equals(task.getString("status")), task.encode());
        assertEquals("rest-dlq", task.getString("source"));
        assertEquals(5, task.getInteger("maxMessagesPerSecond"));
        assertTrue(List.of("RUNNING", "COMPLETED").contains(task.getString("status")), task.encode());

        Answer refused = rest.send(io.vertx.core.http.HttpMethod.POST, "/v1/queues/rest-dlq-source/move-tasks",
                Map.of(), null);
        assertEquals(400, refused.status(), refused.text());
    }

    @Test
    void aRunningMoveTaskIsCancelled() throws Exception {
        String dlqUrl = create("rest-dlq-slow", null);
        String dlqArn = server.sqs.getQueueAttributes(request -> request.queueUrl(dlqUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        create("rest-dlq-slow-target", new JsonObject().put("attributes", new JsonObject().put("RedrivePolicy",
                new JsonObject().put("deadLetterTargetArn", dlqArn).put("maxReceiveCount", 5).encode())).encode());
        for (int i = 0; i < 30; i++) {
            server.sqs.sendMessage(request -> request.queueUrl(dlqUrl).messageBody("stuck"));
        }
        Answer started = rest.send(io.vertx.core.http.HttpMethod.POST, "/v1/queues/rest-dlq-slow/move-tasks",
                Map.of("Content-Type", "application/json"),
                "{\"destination\":\"rest-dlq-slow-target\",\"maxMessagesPerSecond\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, started.status(), started.text());
        String handle = started.json().getString("taskHandle");
        Answer cancelled = rest.delete("/v1/queues/rest-dlq-slow/move-tasks/"
                + java.net.URLEncoder.encode(handle, StandardCharsets.UTF_8));
        assertEquals(200, cancelled.status(), cancelled.text());
        assertTrue(cancelled.json().getLong("moved") < 30);
        JsonObject task = rest.get("/v1/queues/rest-dlq-slow/move-tasks").json().getJsonArray("tasks").getJsonObject(0);
        assertTrue(List.of("CANCELLING", "CANCELLED").contains(task.getString("status")), task.encode());
        assertEquals("rest-dlq-slow-target", task.getString("destination"));
        assertTrue(dlqArn.endsWith(":rest-dlq-slow"));
    }

    private void awaitDepth(String url, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String depth = null;
        while (System.nanoTime() < deadline) {
            depth = server.sqs.getQueueAttributes(request -> request.queueUrl(url)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
            if (expected.equals(depth)) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(expected, depth, url);
    }

    @Test
    void sentAttributesTakeTheSqsDataTypesNumberBinaryAndCustomOnesAndBadValuesGetTheSqsError() throws Exception {
        String url = create("rest-typed-attributes", null);
        String binary = java.util.Base64.getEncoder().encodeToString(new byte[] {0, 1, (byte) 0xfe});
        Answer sent = rest.post("/v1/queues/rest-typed-attributes/messages?attribute.count=42&attributeType.count=Number"
                + "&attribute.price=9.5&attributeType.price=Number.float&attribute.blob=" + java.net.URLEncoder.encode(binary,
                StandardCharsets.UTF_8) + "&attributeType.blob=Binary&attribute.note=plain&attribute.tag=t1"
                + "&attributeType.tag=String.label", Map.of(), "typed".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, sent.status(), sent.text());
        Message message = server.sqs.receiveMessage(request -> request.queueUrl(url).messageAttributeNames("All"))
                .messages().get(0);
        var attributes = message.messageAttributes();
        assertEquals("Number", attributes.get("count").dataType());
        assertEquals("42", attributes.get("count").stringValue());
        assertEquals("Number.float", attributes.get("price").dataType());
        assertEquals("Binary", attributes.get("blob").dataType());
        assertEquals(java.util.List.of((byte) 0, (byte) 1, (byte) 0xfe), java.util.List.of(
                attributes.get("blob").binaryValue().asByteArray()[0], attributes.get("blob").binaryValue().asByteArray()[1],
                attributes.get("blob").binaryValue().asByteArray()[2]));
        assertEquals("String", attributes.get("note").dataType());
        assertEquals("String.label", attributes.get("tag").dataType());

        for (String bad : List.of("attribute.n=twelve&attributeType.n=Number", "attribute.b=%25%25%25&attributeType.b=Binary",
                "attribute.x=1&attributeType.x=Integer", "attributeType.orphan=Number")) {
            Answer refused = rest.post("/v1/queues/rest-typed-attributes/messages?" + bad, Map.of(),
                    "refused".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, refused.status(), bad + ": " + refused.text());
            assertEquals("InvalidParameterValue", refused.json().getString("code"), bad + ": " + refused.text());
        }
    }
}
