package dev.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.api.http.UnavailableAnswers;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * With two of three nodes killed, the survivor has no majority for any group: every request it takes waits on Raft.
 * Each must still be answered within the request bound (10 s by default, here asserted under 15 s) with the
 * protocol's retryable unavailability error (ServiceUnavailable, 503), not after minutes of sequential Raft timeouts,
 * and never with a 500 or a Java type name. Once the other nodes are back, requests succeed again and every message
 * acknowledged before the outage is still there.
 */
@Tag("fault")
@Tag("cluster")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class NoMajorityAnswerClusterIT {
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(15);
    private static final String QUEUE = "bounded";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyProtocolAnswersServiceUnavailableWithinTheBoundWhenTheNodeHasNoMajorityAndNothingAcknowledgedIsLost()
            throws Exception {
        try (SluiceProcesses cluster = new SluiceProcesses(3)) {
            cluster.startAll(Duration.ofSeconds(150));
            int survivor = 0;
            int port = cluster.httpPorts[survivor];
            Set<String> acknowledged = new HashSet<>();
            String url;
            try (SqsClient sqs = SqsTestServer.client(port); SnsClient sns = SnsClients.client(port)) {
                url = sqs.createQueue(request -> request.queueName(QUEUE)).queueUrl();
                String topic = sns.createTopic(request -> request.name("bounded-news")).topicArn();
                sns.subscribe(request -> request.topicArn(topic).protocol("sqs").attributes(
                        java.util.Map.of("RawMessageDelivery", "true"))
                        .endpoint("arn:aws:sqs:us-east-1:000000000000:" + QUEUE));
                for (int i = 0; i < 5; i++) {
                    String body = "before-" + i;
                    sqs.sendMessage(request -> request.queueUrl(url).messageBody(body));
                    acknowledged.add(body);
                }
                sns.publish(request -> request.topicArn(topic).message("published-before"));
                acknowledged.add("published-before");
                assertEquals(2, restSend(port, "rest-before").statusCode() / 100, "REST send on a healthy cluster");
                acknowledged.add("rest-before");

                cluster.kill(1);
                cluster.kill(2);

                try (SqsClient once = SqsTestServer.clientWithoutRetries(port)) {
                    assertUnavailable("SendMessage", () -> once.sendMessage(request -> request.queueUrl(url)
                            .messageBody("during-outage")));
                    assertUnavailable("ReceiveMessage (short poll)", () -> once.receiveMessage(request -> request
                            .queueUrl(url).waitTimeSeconds(0)));
                    assertUnavailable("CreateQueue", () -> once.createQueue(request -> request.queueName("created-in-outage")));
                    assertUnavailable("Publish", () -> sns.publish(request -> request.topicArn(topic).message("published-in-outage")));
                }
                assertRawUnavailable("REST send", () -> restSend(port, "rest-in-outage"));
                assertRawUnavailable("Query SendMessage", () -> querySend(port, url, "query-in-outage"));

                cluster.start(1);
                cluster.start(2);
                for (int node = 0; node < 3; node++) {
                    cluster.awaitHealthy(node, Duration.ofSeconds(150));
                }
            }
            try (SqsClient sqs = SqsTestServer.client(port)) {
                sqs.sendMessage(request -> request.queueUrl(url).messageBody("after"));
                acknowledged.add("after");
                Set<String> received = new HashSet<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!received.containsAll(acknowledged) && System.nanoTime() < deadline) {
                    var messages = sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                            .waitTimeSeconds(2)).messages();
                    messages.forEach(message -> {
                        received.add(message.body());
                        sqs.deleteMessage(request -> request.queueUrl(url).receiptHandle(message.receiptHandle()));
                    });
                }
                Set<String> missing = new HashSet<>(acknowledged);
                missing.removeAll(received);
                assertTrue(missing.isEmpty(), "acknowledged but not delivered after the outage: " + missing
                        + cluster.logTails());
            }
        }
    }

    private static void assertUnavailable(String what, Runnable call) {
        UnavailableAnswers.assertUnavailable(what, ANSWER_BOUND, call);
    }

    private static void assertRawUnavailable(String what, UnavailableAnswers.RawCall call) throws Exception {
        UnavailableAnswers.assertRawUnavailable(what, ANSWER_BOUND, call);
    }

    private HttpResponse<String> restSend(int port, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/queues/" + QUEUE + "/messages"))
                .timeout(Duration.ofSeconds(40)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> querySend(int port, String queueUrl, String body) throws Exception {
        String form = "Action=SendMessage&Version=2012-11-05&QueueUrl=" + URLEncoder.encode(queueUrl, StandardCharsets.UTF_8)
                + "&MessageBody=" + URLEncoder.encode(body, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(40))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
