package dev.sluice.broker.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sns.SnsClients;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.testing.FreePorts;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The bound on a request as a whole ({@code http.requestTimeout}): a request that waits on a cluster without a
 * majority is answered ServiceUnavailable (503), in its protocol, once the bound is up, not after each of its Raft
 * reads and writes has waited out its own timeout; a long poll's wait comes on top of the bound and is never cut.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RequestBoundIT {
    private static final Duration BOUND = Duration.ofSeconds(2);
    /** Room for a loaded 2-core machine; the Raft request timeout (15 s) is far beyond. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aNodeWithoutAMajorityAnswersEveryProtocolServiceUnavailableWithinTheBound() throws Exception {
        // One of three members: its peers never start, so no group ever has a leader.
        SluiceConfig defaults = SluiceConfig.defaults();
        int raftPort = FreePorts.next();
        RaftStoreConfig raft = defaults.raft().withNode("n1", "127.0.0.1", raftPort).withDataDirectory(directory)
                .withAllowTemporaryStorage(true).withPeers(List.of(new Peer("n1", "127.0.0.1", raftPort),
                        new Peer("n2", "127.0.0.1", FreePorts.next()), new Peer("n3", "127.0.0.1", FreePorts.next())));
        try (SluiceServer server = SluiceServer.start(defaults.withHttp(defaults.http().withPort(0).withRequestTimeout(BOUND).withShutdownGrace(Duration.ofMillis(200)))
                .withRaft(raft), List.of(), InstantSource.system());
                SqsClient sqs = SqsTestServer.clientWithoutRetries(server.httpPort());
                SnsClient sns = SnsClients.client(server.httpPort())) {
            int port = server.httpPort();
            String url = "http://127.0.0.1:" + port + "/000000000000/orders";
            assertUnavailable("SendMessage", Duration.ZERO, () -> sqs.sendMessage(request -> request.queueUrl(url)
                    .messageBody("hello")));
            assertUnavailable("CreateQueue", Duration.ZERO, () -> sqs.createQueue(request -> request.queueName("orders")));
            assertUnavailable("ReceiveMessage (short poll)", Duration.ZERO, () -> sqs.receiveMessage(request -> request
                    .queueUrl(url).waitTimeSeconds(0)));
            // A long poll may wait its WaitTimeSeconds on top of the bound.
            assertUnavailable("ReceiveMessage (2 s long poll)", Duration.ofSeconds(2), () -> sqs.receiveMessage(request ->
                    request.queueUrl(url).waitTimeSeconds(2)));
            assertUnavailable("Publish", Duration.ZERO, () -> sns.publish(request -> request
                    .topicArn("arn:aws:sns:us-east-1:000000000000:news").message("hello")));
            assertRawUnavailable("REST send", () -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/queues/orders/messages")).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString()));
            String form = "Action=SendMessage&Version=2012-11-05&QueueUrl=" + URLEncoder.encode(url, StandardCharsets.UTF_8)
                    + "&MessageBody=hello";
            assertRawUnavailable("Query SendMessage", () -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + port + "/")).header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void aLongPollLongerThanTheBoundWaitsItsWholeTimeAndAnswersEmpty() throws Exception {
        Duration bound = Duration.ofSeconds(1);
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withHttp(config.http()
                .withRequestTimeout(bound)))) {
            SqsClient sqs = server.sqs;
            String url = sqs.createQueue(request -> request.queueName("quiet")).queueUrl();
            String byDefault = sqs.createQueue(request -> request.queueName("quiet-by-default")
                    .attributes(Map.of(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "3"))).queueUrl();

            long started = System.nanoTime();
            assertTrue(sqs.receiveMessage(request -> request.queueUrl(url).waitTimeSeconds(3)).messages().isEmpty());
            assertWaited("SDK long poll", started, Duration.ofSeconds(3));

            started = System.nanoTime();
            assertTrue(sqs.receiveMessage(request -> request.queueUrl(byDefault)).messages().isEmpty());
            assertWaited("long poll by the queue's default", started, Duration.ofSeconds(3));

            started = System.nanoTime();
            HttpResponse<String> rest = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.server.httpPort() + "/v1/queues/quiet/messages?wait=3")).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, rest.statusCode(), rest.body());
            assertWaited("REST long poll", started, Duration.ofSeconds(3));
        }
    }

    private static void assertWaited(String what, long startedNanos, Duration wait) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        assertTrue(took.compareTo(wait.minusMillis(200)) >= 0, what + " answered after only " + took);
    }

    private static void assertUnavailable(String what, Duration wait, Runnable call) {
        Duration took = UnavailableAnswers.assertUnavailable(what, BOUND.plus(wait).plus(SLACK), call);
        assertTrue(took.compareTo(BOUND.plus(wait).minusMillis(200)) >= 0, what + " answered before its bound: " + took);
    }

    private static void assertRawUnavailable(String what, UnavailableAnswers.RawCall call) throws Exception {
        UnavailableAnswers.assertRawUnavailable(what, BOUND.plus(SLACK), call);
    }
}
