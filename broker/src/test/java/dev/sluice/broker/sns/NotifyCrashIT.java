package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** kill -9 between publish and delivery loses nothing: everything acknowledged arrives after the restart. */
@Tag("fault")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class NotifyCrashIT {
    private static final int MESSAGES = 30;

    @Test
    void publishedMessagesSurviveAKillAndAreDeliveredAfterTheRestart() throws Exception {
        AtomicBoolean endpointDown = new AtomicBoolean(true);
        Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        HttpClient http = HttpClient.newHttpClient();
        try (SluiceProcesses cluster = new SluiceProcesses(1, List.of("--webhook-allowed-networks", "127.0.0.1/32"));
                WebhookEndpoint endpoint = new WebhookEndpoint(delivery -> {
                    if (!"Notification".equals(delivery.header("x-amz-sns-message-type"))) {
                        return 200;
                    }
                    if (endpointDown.get()) {
                        return 500;
                    }
                    accepted.add(delivery.body());
                    return 200;
                })) {
            cluster.startAll();
            int port = cluster.httpPorts[0];
            try (SnsClient sns = SnsClients.client(port); SqsClient sqs = SqsTestServer.client(port)) {
                String topic = sns.createTopic(b -> b.name("durable")).topicArn();
                sqs.createQueue(b -> b.queueName("durable-target"));
                sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:durable-target")
                        .attributes(Map.of("RawMessageDelivery", "true")));
                sns.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(endpoint.url("/durable")).attributes(Map.of(
                        "RawMessageDelivery", "true", "DeliveryPolicy",
                        "{\"healthyRetryPolicy\":{\"numRetries\":60,\"minDelayTarget\":1,\"maxDelayTarget\":1}}")));
                var confirmation = endpoint.await(d -> "SubscriptionConfirmation".equals(d.header("x-amz-sns-message-type")),
                        1, 20);
                String subscribeUrl = new com.fasterxml.jackson.databind.ObjectMapper().readTree(confirmation.get(0).body())
                        .path("SubscribeURL").asText();
                assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(subscribeUrl)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                SnsClients.awaitConfirmed(sns, topic);
                for (int i = 0; i < MESSAGES; i++) {
                    String body = "durable-" + i;
                    sns.publish(b -> b.topicArn(topic).message(body));
                }
            }
            cluster.kill(0);
            endpointDown.set(false);
            cluster.start(0);
            cluster.awaitHealthy(0);
            try (SqsClient sqs = SqsTestServer.client(port)) {
                String queue = sqs.getQueueUrl(b -> b.queueName("durable-target")).queueUrl();
                Set<String> queued = new TreeSet<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (queued.size() < MESSAGES && System.nanoTime() < deadline) {
                    sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(2)).messages()
                            .forEach(message -> {
                                queued.add(message.body());
                                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
                            });
                }
                assertEquals(MESSAGES, queued.size(), cluster.logTails());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (accepted.size() < MESSAGES && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(MESSAGES, accepted.size(), cluster.logTails());
        }
    }
}
