package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.filter.CidrBlock;
import dev.sluice.clientsdk.signature.SnsMessageSignature;
import dev.sluice.clientsdk.signature.StandardWebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * HTTP subscriptions against real endpoints: confirmation, signed envelopes, retries on the delivery
 * policy's schedule, the subscription dead-letter queue, and isolation of a hung endpoint.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebhookDeliveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, config -> config.withNotifications(
                new SluiceConfig.Notify(List.of(CidrBlock.parse("127.0.0.1/32")))));
        sns = SnsClients.client(server.port());
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    private static boolean isNotification(WebhookEndpoint.Delivery delivery) {
        return "Notification".equals(delivery.header("x-amz-sns-message-type"));
    }

    private static Map<String, String> fields(String json) throws Exception {
        Map<String, String> fields = new HashMap<>();
        JsonNode tree = JSON.readTree(json);
        tree.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue().isTextual()
                ? field.getValue().asText() : field.getValue().toString()));
        return fields;
    }

    private static X509Certificate certificate(String url) throws Exception {
        return SnsMessageSignature.certificate(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    private static void get(String url) throws Exception {
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void nothingButTheConfirmationArrivesUntilConfirmedThenSignedNotificationsRetryOnSchedule() throws Exception {
        AtomicInteger notifications = new AtomicInteger();
        try (WebhookEndpoint endpoint = new WebhookEndpoint(delivery ->
                isNotification(delivery) && notifications.incrementAndGet() <= 3 ? 500 : 200)) {
            String topic = sns.createTopic(b -> b.name("hooks")).topicArn();
            String policy = "{\"healthyRetryPolicy\":{\"numRetries\":3,\"numNoDelayRetries\":1,\"minDelayTarget\":1,"
                    + "\"maxDelayTarget\":2,\"backoffFunction\":\"linear\"}}";
            String pending = sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(endpoint.url("/hook"))
                    .attributes(Map.of("DeliveryPolicy", policy))).subscriptionArn();
            assertEquals("pending confirmation", pending);
            WebhookEndpoint.Delivery confirmation = endpoint.await(d -> "SubscriptionConfirmation".equals(
                    d.header("x-amz-sns-message-type")), 1, 15).get(0);
            Map<String, String> confirmationFields = fields(confirmation.body());
            X509Certificate certificate = certificate(confirmationFields.get("SigningCertURL"));
            assertTrue(SnsMessageSignature.verify(confirmationFields, certificate));
            assertEquals(topic, confirmation.header("x-amz-sns-topic-arn"));

            sns.publish(b -> b.topicArn(topic).message("before confirmation"));
            Thread.sleep(1500);
            assertTrue(endpoint.deliveries().stream().noneMatch(WebhookDeliveryIT::isNotification));

            get(confirmationFields.get("SubscribeURL"));
            String subscription = sns.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().get(0)
                    .subscriptionArn();
            Map<String, String> attributes = sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes();
            assertEquals("false", attributes.get("PendingConfirmation"));
            String messageId = sns.publish(b -> b.topicArn(topic).message("after confirmation").subject("S")).messageId();

            List<WebhookEndpoint.Delivery> attempts = endpoint.await(WebhookDeliveryIT::isNotification, 4, 30);
            assertEquals(4, attempts.size());
            for (WebhookEndpoint.Delivery attempt : attempts) {
                assertEquals(messageId, attempt.header("x-amz-sns-message-id"));
                assertEquals(subscription, attempt.header("x-amz-sns-subscription-arn"));
                Map<String, String> envelope = fields(attempt.body());
                assertEquals("after confirmation", envelope.get("Message"));
                assertTrue(SnsMessageSignature.verify(envelope, certificate));
                assertTrue(StandardWebhookSignature.verify(attributes.get("WebhookSigningSecret"),
                        attempt.header("webhook-id"), attempt.header("webhook-timestamp"),
                        attempt.header("webhook-signature"), attempt.body(), Instant.now(), Duration.ofMinutes(5)));
                assertFalse(StandardWebhookSignature.verify(attributes.get("WebhookSigningSecret"),
                        attempt.header("webhook-id"), attempt.header("webhook-timestamp"),
                        attempt.header("webhook-signature"), attempt.body() + " ", Instant.now(), Duration.ofMinutes(5)));
            }
            // Policy: one immediate retry, then backoff from 1 s to 2 s.
            double[] gaps = new double[3];
            for (int i = 0; i < 3; i++) {
                gaps[i] = (attempts.get(i + 1).receivedAtNanos() - attempts.get(i).receivedAtNanos()) / 1e9;
            }
            assertTrue(gaps[0] < 0.9, "immediate retry after " + gaps[0] + " s");
            assertTrue(gaps[1] >= 0.9 && gaps[1] < 2.5, "first backoff retry after " + gaps[1] + " s");
            assertTrue(gaps[2] >= 1.9 && gaps[2] < 3.5, "second backoff retry after " + gaps[2] + " s");
            Thread.sleep(1000);
            assertEquals(4, endpoint.await(WebhookDeliveryIT::isNotification, 5, 1).size(), "delivered once only");
        }
    }

    @Test
    void confirmSubscriptionTakesTheTokenAndRefusesOthers() throws Exception {
        try (WebhookEndpoint endpoint = new WebhookEndpoint(delivery -> 200)) {
            String topic = sns.createTopic(b -> b.name("confirmed-by-api")).topicArn();
            String returned = sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(endpoint.url("/api"))
                    .returnSubscriptionArn(true)).subscriptionArn();
            assertTrue(returned.startsWith(topic + ":"));
            assertEquals("true", sns.getSubscriptionAttributes(b -> b.subscriptionArn(returned)).attributes()
                    .get("PendingConfirmation"));
            String token = fields(endpoint.await(d -> true, 1, 15).get(0).body()).get("Token");
            assertThrows(software.amazon.awssdk.services.sns.model.InvalidParameterException.class,
                    () -> sns.confirmSubscription(b -> b.topicArn(topic).token("not-the-token")));
            assertThrows(software.amazon.awssdk.services.sns.model.NotFoundException.class, () -> sns.confirmSubscription(
                    b -> b.topicArn("arn:aws:sns:us-east-1:000000000000:missing").token(token)));
            assertEquals(returned, sns.confirmSubscription(b -> b.topicArn(topic).token(token)).subscriptionArn());
            assertEquals(returned, sns.confirmSubscription(b -> b.topicArn(topic).token(token)).subscriptionArn());
            assertEquals("false", sns.getSubscriptionAttributes(b -> b.subscriptionArn(returned)).attributes()
                    .get("PendingConfirmation"));
            sns.unsubscribe(b -> b.subscriptionArn(returned));
        }
    }

    @Test
    void whatIsNeverDeliveredGoesToTheSubscriptionDeadLetterQueue() throws Exception {
        try (WebhookEndpoint endpoint = new WebhookEndpoint(delivery -> {
            if (!isNotification(delivery)) {
                confirm(delivery);
                return 200;
            }
            return 503;
        })) {
            String topic = sns.createTopic(b -> b.name("doomed")).topicArn();
            String dlq = server.sqs.createQueue(b -> b.queueName("doomed-dlq")).queueUrl();
            String policy = "{\"healthyRetryPolicy\":{\"numRetries\":1,\"minDelayTarget\":1,\"maxDelayTarget\":1}}";
            sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(endpoint.url("/fails")).attributes(Map.of(
                    "DeliveryPolicy", policy,
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:doomed-dlq\"}")));
            SnsClients.awaitConfirmed(sns, topic);
            String messageId = sns.publish(b -> b.topicArn(topic).message("undeliverable")).messageId();
            var dead = server.sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(15)).messages();
            assertEquals(1, dead.size());
            assertEquals(messageId, JSON.readTree(dead.get(0).body()).path("MessageId").asText());
            assertEquals(2, endpoint.await(WebhookDeliveryIT::isNotification, 2, 1).size());
        }
    }

    @Test
    void aHungEndpointDoesNotDelayAnotherSubscription() throws Exception {
        try (WebhookEndpoint hung = new WebhookEndpoint(delivery -> {
            if (!isNotification(delivery)) {
                confirm(delivery);
                return 200;
            }
            return null;
        }); WebhookEndpoint healthy = new WebhookEndpoint(delivery -> {
            if (!isNotification(delivery)) {
                confirm(delivery);
            }
            return 200;
        })) {
            String topic = sns.createTopic(b -> b.name("mixed")).topicArn();
            sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(hung.url("/hung")));
            sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(healthy.url("/ok"))
                    .attributes(Map.of("RawMessageDelivery", "true")));
            SnsClients.awaitConfirmed(sns, topic);
            for (int i = 0; i < 20; i++) {
                String body = "m" + i;
                sns.publish(b -> b.topicArn(topic).message(body));
            }
            List<WebhookEndpoint.Delivery> delivered = healthy.await(WebhookDeliveryIT::isNotification, 20, 10);
            assertEquals(20, delivered.size());
            assertEquals("true", delivered.get(0).header("x-amz-sns-rawdelivery"));
            assertTrue(delivered.stream().allMatch(delivery -> delivery.body().matches("m\\d+")));
            assertTrue(hung.deliveries().stream().filter(WebhookDeliveryIT::isNotification).count() >= 1);
        }
    }

    @Test
    void aMessageWaitingForTheNodesDeliveryLimitKeepsItsRetries() throws Exception {
        // One delivery at a time on the node: a slow subscription holds it while another's message waits. The
        // waiting must not spend the flaky endpoint's attempts (numRetries 1: one retry after its first 500).
        AtomicInteger flakyNotifications = new AtomicInteger();
        try (SqsTestServer limited = SqsTestServer.start(data.resolve("limited"), config -> config.withNotifications(
                new SluiceConfig.Notify(List.of(CidrBlock.parse("127.0.0.1/32"))).withMaxConcurrentDeliveries(1)));
                SnsClient limitedSns = SnsClients.client(limited.port());
                WebhookEndpoint slow = new WebhookEndpoint(delivery -> {
                    if (!isNotification(delivery)) {
                        confirm(delivery);
                    } else {
                        sleep(1500);
                    }
                    return 200;
                });
                WebhookEndpoint flaky = new WebhookEndpoint(delivery -> {
                    if (!isNotification(delivery)) {
                        confirm(delivery);
                        return 200;
                    }
                    return flakyNotifications.incrementAndGet() == 1 ? 500 : 200;
                })) {
            String topic = limitedSns.createTopic(b -> b.name("limited")).topicArn();
            limitedSns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(slow.url("/slow"))
                    .attributes(Map.of("FilterPolicy", "{\"to\":[\"slow\"]}")));
            limitedSns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(flaky.url("/flaky"))
                    .attributes(Map.of("FilterPolicy", "{\"to\":[\"flaky\"]}", "DeliveryPolicy",
                            "{\"healthyRetryPolicy\":{\"numRetries\":1,\"minDelayTarget\":1,\"maxDelayTarget\":1}}")));
            SnsClients.awaitConfirmed(limitedSns, topic);
            for (String to : List.of("slow", "slow", "slow", "flaky")) {
                limitedSns.publish(b -> b.topicArn(topic).message("for " + to).messageAttributes(Map.of("to",
                        software.amazon.awssdk.services.sns.model.MessageAttributeValue.builder().dataType("String")
                                .stringValue(to).build())));
            }
            assertEquals(3, slow.await(WebhookDeliveryIT::isNotification, 3, 20).size());
            assertEquals(2, flaky.await(WebhookDeliveryIT::isNotification, 2, 20).size(),
                    "the flaky endpoint's retry was spent while its message waited for the delivery limit");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Confirms from the endpoint's handler the way a subscriber would: GET the SubscribeURL (off the event loop). */
    private static void confirm(WebhookEndpoint.Delivery delivery) {
        new Thread(() -> {
            try {
                get(fields(delivery.body()).get("SubscribeURL"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).start();
    }
}
