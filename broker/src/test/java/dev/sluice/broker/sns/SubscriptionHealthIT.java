package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * A subscription the node cannot deliver to (here: to a queue nobody created, as a typo makes) is visible to
 * its owner in GetSubscriptionAttributes and to the operator as a gauge, and both clear once it delivers again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubscriptionHealthIT {
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        sns = SnsClients.client(server.port());
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    @Test
    void aSubscriptionToAMissingQueueShowsAsFailingUntilTheQueueExists() throws Exception {
        String topic = sns.createTopic(b -> b.name("health")).topicArn();
        String subscription = sns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                .endpoint("arn:aws:sqs:us-east-1:000000000000:not-created-yet").returnSubscriptionArn(true)).subscriptionArn();
        assertEquals("Healthy", attributes(subscription).get("DeliveryStatus"), "nothing was delivered yet");
        sns.publish(b -> b.topicArn(topic).message("first"));

        Map<String, String> failing = await(subscription, attributes -> "Failing".equals(attributes.get("DeliveryStatus")));
        assertEquals("queue not-created-yet does not exist", failing.get("LastDeliveryError"));
        assertTrue(failing.containsKey("FailingSince"));
        assertTrue(metrics().contains("sluice_sns_subscriptions_failing{protocol=\"sqs\",topic=\"health\"} 1.0"), metrics());
        assertTrue(metrics().contains("# HELP sluice_sns_subscriptions_failing Subscriptions"), "with help text");
        assertEquals("Failing", failing.get("Status"));
        assertTrue(failing.containsKey("LastDeliveryErrorAt"));

        String queue = server.sqs().createQueue(b -> b.queueName("not-created-yet")).queueUrl();
        Map<String, String> healthy = await(subscription, attributes -> "Healthy".equals(attributes.get("DeliveryStatus")));
        assertFalse(healthy.containsKey("LastDeliveryError"));
        assertEquals("Confirmed", healthy.get("Status"));
        assertTrue(metrics().contains("sluice_sns_subscriptions_failing{protocol=\"sqs\",topic=\"health\"} 0.0"), metrics());
        assertEquals(1, server.sqs().receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(10)).messages().size(),
                "the retried copy arrived");
    }

    private static Map<String, String> attributes(String subscription) {
        return sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes();
    }

    private static Map<String, String> await(String subscription, Predicate<Map<String, String>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, String> attributes = attributes(subscription);
        while (!condition.test(attributes) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            attributes = attributes(subscription);
        }
        assertTrue(condition.test(attributes), attributes.toString());
        return attributes;
    }

    private static String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
