package dev.sluice.broker.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.rest.RestClient.Answer;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * {@code /v1/topics}: what the console's topic page does, checked against the SNS and SQS SDKs: a topic made over REST
 * is the SNS topic, a queue subscribed over REST gets what REST publishes (with attributes), a subscription to a queue
 * that does not exist shows as failing with its error, and unsubscribe removes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestTopicsIT {
    private SqsTestServer server;
    private RestClient rest;
    private SnsClient sns;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
        rest = new RestClient(server.port());
        sns = SnsClients.client(server.port());
    }

    @AfterAll
    void stop() throws Exception {
        sns.close();
        rest.close();
        server.close();
    }

    @Test
    void aTopicIsCreatedListedChangedAndDeletedAsTheSnsTopic() throws Exception {
        Answer created = rest.put("/v1/topics/rest-orders.fifo", "{\"attributes\":{\"FifoTopic\":\"true\"}}");
        assertEquals(200, created.status(), created.text());
        String arn = created.json().getString("arn");
        assertTrue(sns.listTopics().topics().stream().anyMatch(topic -> topic.topicArn().equals(arn)));

        JsonObject listed = rest.get("/v1/topics").json().getJsonArray("topics").stream().map(JsonObject.class::cast)
                .filter(topic -> topic.getString("name").equals("rest-orders.fifo")).findFirst().orElseThrow();
        assertEquals("true", listed.getJsonObject("attributes").getString("FifoTopic"));

        Answer changed = send(HttpMethod.PATCH, "/v1/topics/rest-orders.fifo/attributes",
                "{\"attributes\":{\"DisplayName\":\"Orders\"}}");
        assertEquals(204, changed.status(), changed.text());
        assertEquals("Orders", sns.getTopicAttributes(b -> b.topicArn(arn)).attributes().get("DisplayName"));

        assertEquals(204, rest.delete("/v1/topics/rest-orders.fifo").status());
        Answer gone = rest.get("/v1/topics/rest-orders.fifo");
        assertEquals(404, gone.status());
        assertEquals("NotFound", gone.json().getString("code"));
    }

    @Test
    void aQueueSubscribedOverRestReceivesWhatRestPublishes() throws Exception {
        String url = server.sqs.createQueue(b -> b.queueName("rest-subscriber")).queueUrl();
        assertEquals(200, rest.put("/v1/topics/rest-news", null).status());
        Answer subscribed = send(HttpMethod.POST, "/v1/topics/rest-news/subscriptions", new JsonObject()
                .put("protocol", "sqs").put("endpoint", "arn:aws:sqs:us-east-1:000000000000:rest-subscriber")
                .put("attributes", new JsonObject().put("RawMessageDelivery", "true")).encode());
        assertEquals(200, subscribed.status(), subscribed.text());

        Answer published = send(HttpMethod.POST, "/v1/topics/rest-news/publish", new JsonObject().put("message", "hello")
                .put("subject", "greeting").put("messageAttributes", new JsonObject().put("kind",
                        new JsonObject().put("dataType", "String").put("stringValue", "test"))).encode());
        assertEquals(200, published.status(), published.text());
        assertTrue(published.json().getString("messageId").length() > 0);

        Message message = server.sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages().get(0);
        assertEquals("hello", message.body());
        assertEquals("test", message.messageAttributes().get("kind").stringValue());

        JsonArray subscriptions = rest.get("/v1/topics/rest-news/subscriptions").json().getJsonArray("subscriptions");
        assertEquals(1, subscriptions.size());
        assertEquals("Confirmed", subscriptions.getJsonObject(0).getString("status"));
        assertNull(subscriptions.getJsonObject(0).getString("lastDeliveryError"));
        JsonObject counts = rest.get("/v1/topics/rest-news").json().getJsonObject("counts");
        assertEquals(1, counts.getJsonObject("PUBLISHED").getInteger(""));
    }

    @Test
    void aSubscriptionToAMissingQueueIsListedFailingWithItsErrorUntilUnsubscribed() throws Exception {
        assertEquals(200, rest.put("/v1/topics/rest-typo", null).status());
        String arn = send(HttpMethod.POST, "/v1/topics/rest-typo/subscriptions", new JsonObject().put("protocol", "sqs")
                .put("endpoint", "arn:aws:sqs:us-east-1:000000000000:rest-no-such-queue").encode()).json().getString("subscriptionArn");
        send(HttpMethod.POST, "/v1/topics/rest-typo/publish", "{\"message\":\"lost?\"}");

        JsonObject subscription = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            subscription = rest.get("/v1/topics/rest-typo/subscriptions").json().getJsonArray("subscriptions").getJsonObject(0);
            if ("Failing".equals(subscription.getString("status"))) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals("Failing", subscription.getString("status"), subscription.encode());
        assertEquals("queue rest-no-such-queue does not exist", subscription.getString("lastDeliveryError"));
        assertTrue(subscription.getString("lastDeliveryErrorAt").endsWith("Z"));
        assertTrue(subscription.getLong("failedAttempts") >= 1);

        String id = arn.substring(arn.lastIndexOf(':') + 1);
        assertEquals(204, rest.delete("/v1/topics/rest-typo/subscriptions/" + id).status());
        assertEquals(0, rest.get("/v1/topics/rest-typo/subscriptions").json().getJsonArray("subscriptions").size());
        assertEquals(Map.of(), Map.copyOf(sns.listSubscriptionsByTopic(b -> b.topicArn(arn.substring(0, arn.lastIndexOf(':'))))
                .subscriptions().stream().collect(java.util.stream.Collectors.toMap(s -> s.subscriptionArn(), s -> s.endpoint()))));
    }

    private Answer send(HttpMethod method, String path, String json) throws Exception {
        return rest.send(method, path, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }
}
