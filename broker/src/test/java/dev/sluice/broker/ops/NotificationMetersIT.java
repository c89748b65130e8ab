package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.clientsdk.filter.CidrBlock;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sns.WebhookEndpoint;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The notification meters beyond the counts of {@link TopicMetricsIT}, after real traffic through the SNS SDK: publish
 * sizes and delivery latency as histograms, notifications dead-lettered into a subscription's dead-letter queue (a
 * webhook answering 503 after its retries, an sqs subscription to a missing queue), and the failing-subscriptions gauge
 * per topic and protocol, with the subscription's Status and last error.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NotificationMetersIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;

    @BeforeAll
    static void start() throws Exception {
        // Webhooks on loopback are refused unless allowed: the test's endpoint listens on 127.0.0.1.
        server = SqsTestServer.start(data, config -> config.withNotifications(
                new SluiceConfig.Notify(List.of(CidrBlock.parse("127.0.0.1/32")))));
        sns = SnsClients.client(server.port());
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    @Test
    void publishSizesAndDeliveryLatencyAreHistograms() throws Exception {
        String topic = sns.createTopic(b -> b.name("sized")).topicArn();
        String url = server.sqs.createQueue(b -> b.queueName("sized-target")).queueUrl();
        sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:sized-target"));
        sns.publish(b -> b.topicArn(topic).message("s".repeat(100)));
        sns.publish(b -> b.topicArn(topic).message("l".repeat(5000)));
        assertEquals(2, receiveAll(url, 2));

        MetricsScrape scrape = await(current -> current.value("sluice_sns_delivery_latency_seconds_count", "protocol", "sqs")
                .orElse(0.0) >= 2);
        assertEquals(Optional.of(1.0), scrape.value("sluice_sns_publish_size_bytes_bucket", "topic", "sized", "le", "1024.0"),
                scrape.text());
        assertEquals(Optional.of(1.0), scrape.value("sluice_sns_publish_size_bytes_bucket", "topic", "sized", "le", "4096.0"));
        assertEquals(Optional.of(2.0), scrape.value("sluice_sns_publish_size_bytes_bucket", "topic", "sized", "le", "16384.0"));
        assertEquals(Optional.of(5100.0), scrape.value("sluice_sns_publish_size_bytes_sum", "topic", "sized"));
        double latency = scrape.value("sluice_sns_delivery_latency_seconds_sum", "protocol", "sqs").orElseThrow();
        assertTrue(latency >= 0 && latency < 30, "publish to queued took " + latency + " s for two copies");
    }

    @Test
    void aWebhookFailingPastItsRetriesShowsFailingAndItsNotificationIsDeadLettered() throws Exception {
        try (WebhookEndpoint endpoint = new WebhookEndpoint(delivery -> {
            if ("SubscriptionConfirmation".equals(delivery.header("x-amz-sns-message-type"))) {
                new Thread(() -> get(field(delivery.body(), "SubscribeURL"))).start();
                return 200;
            }
            return 503;
        })) {
            String topic = sns.createTopic(b -> b.name("refused")).topicArn();
            String dlq = server.sqs.createQueue(b -> b.queueName("refused-dlq")).queueUrl();
            String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(endpoint.url("/down"))
                    .returnSubscriptionArn(true).attributes(Map.of(
                    "DeliveryPolicy", "{\"healthyRetryPolicy\":{\"numRetries\":1,\"minDelayTarget\":1,\"maxDelayTarget\":1}}",
                    "RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:refused-dlq\"}")))
                    .subscriptionArn();
            SnsClients.awaitConfirmed(sns, topic);
            sns.publish(b -> b.topicArn(topic).message("nobody takes this"));
            assertEquals(1, receiveAll(dlq, 1));

            MetricsScrape scrape = await(current -> current.value("sluice_sns_dead_lettered_notifications_total",
                    "topic", "refused", "protocol", "http").isPresent());
            assertEquals(Optional.of(1.0), scrape.value("sluice_sns_dead_lettered_notifications_total", "topic", "refused",
                    "protocol", "http"), scrape.text());
            assertEquals(Optional.of(1.0), scrape.value("sluice_sns_subscriptions_failing", "topic", "refused",
                    "protocol", "http"));
            Map<String, String> attributes = sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes();
            assertEquals("Failing", attributes.get("Status"));
            assertEquals("the endpoint answered HTTP 503", attributes.get("LastDeliveryError"));
            assertTrue(Long.parseLong(attributes.get("FailedAttempts")) >= 1, attributes.toString());
        }
    }

    @Test
    void anSqsSubscriptionToAMissingQueueDeadLettersItsCopiesAtOnce() throws Exception {
        String topic = sns.createTopic(b -> b.name("misaddressed")).topicArn();
        String dlq = server.sqs.createQueue(b -> b.queueName("misaddressed-dlq")).queueUrl();
        String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:never-made").returnSubscriptionArn(true)
                .attributes(Map.of("RedrivePolicy",
                        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:misaddressed-dlq\"}")))
                .subscriptionArn();
        sns.publish(b -> b.topicArn(topic).message("one"));
        sns.publish(b -> b.topicArn(topic).message("two"));
        assertEquals(2, receiveAll(dlq, 2));

        MetricsScrape scrape = await(current -> current.value("sluice_sns_dead_lettered_notifications_total",
                "topic", "misaddressed", "protocol", "sqs").orElse(0.0) >= 2);
        assertEquals(Optional.of(2.0), scrape.value("sluice_sns_dead_lettered_notifications_total", "topic", "misaddressed",
                "protocol", "sqs"), scrape.text());
        assertEquals(Optional.empty(), scrape.value("sluice_sns_delivered_notifications_total", "topic", "misaddressed"),
                "a copy in the dead-letter queue was not delivered");
        Map<String, String> attributes = sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes();
        assertEquals("Failing", attributes.get("Status"), "its queue does not exist, whatever its dead-letter queue holds");
        assertEquals("queue never-made does not exist; its copies went to the subscription's dead-letter queue",
                attributes.get("LastDeliveryError"));
    }

    private static int receiveAll(String url, int expected) {
        int received = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (received < expected && System.nanoTime() < deadline) {
            received += server.sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2))
                    .messages().size();
        }
        return received;
    }

    private static MetricsScrape await(Predicate<MetricsScrape> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        MetricsScrape scrape = MetricsScrape.of(server.port());
        while (!condition.test(scrape) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            scrape = MetricsScrape.of(server.port());
        }
        assertTrue(condition.test(scrape), scrape.text());
        return scrape;
    }

    private static String field(String json, String name) {
        try {
            return JSON.readTree(json).path(name).asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void get(String url) {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
