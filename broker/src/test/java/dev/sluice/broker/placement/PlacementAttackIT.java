package dev.sluice.broker.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Placement, partitions and migrations attacked by several operators and clients at once, on four data groups. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PlacementAttackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** The system clock, moved forward by the test. */
    private static final class MovableClock implements InstantSource {
        private final AtomicLong aheadMillis = new AtomicLong();

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + aheadMillis.get();
        }

        void advance(long millis) {
            aheadMillis.addAndGet(millis);
        }
    }

    private HttpResponse<String> attempt(SqsTestServer server, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> attemptAsync(SqsTestServer server, String method, String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode call(SqsTestServer server, String method, String path, String body) throws Exception {
        HttpResponse<String> answer = attempt(server, method, path, body);
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    private static String groupOf(JsonNode described) {
        return described.get("groups").get(0).asText();
    }

    @Test
    void concurrentMigrationsOfOneQueueLeaveNoCopyThatOutlivesItsDelete(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            SqsClient sqs = server.sqs();
            for (int round = 0; round < 3; round++) {
                String name = "contested-" + round;
                String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
                String home = groupOf(call(server, "GET", "/v1/queues/" + name, null));
                List<CompletableFuture<HttpResponse<String>>> migrations = new ArrayList<>();
                for (int group = 0; group < 4; group++) {
                    if (!home.equals("data-" + group)) {
                        migrations.add(attemptAsync(server, "POST", "/v1/queues/" + name + "/migrate",
                                "{\"toGroup\":\"data-" + group + "\"}"));
                    }
                }
                int started = 0;
                for (CompletableFuture<HttpResponse<String>> migration : migrations) {
                    HttpResponse<String> answer = migration.get(60, TimeUnit.SECONDS);
                    assertTrue(answer.statusCode() == 200 || answer.statusCode() == 400, answer.body());
                    started += answer.statusCode() == 200 ? 1 : 0;
                }
                assertEquals(1, started, "one migration of a queue at a time");
                sqs.deleteQueue(b -> b.queueUrl(url));
                assertEquals(List.of(), sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls(),
                        "a deleted queue is not listed (no group kept a copy of it)");
            }
        }
    }

    @Test
    void aQueueDeletedWhileMigratingCanBeCreatedAgainAndUsedAndMigrated(@TempDir Path directory) throws Exception {
        MovableClock clock = new MovableClock();
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)),
                clock)) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("dropped")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("held"));
            sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(600));
            String from = groupOf(call(server, "GET", "/v1/queues/dropped", null));
            String to = from.equals("data-1") ? "data-2" : "data-1";
            call(server, "POST", "/v1/queues/dropped/migrate", "{\"toGroup\":\"" + to + "\"}");
            sqs.deleteQueue(b -> b.queueUrl(url));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String state = "RUNNING";
            while (!state.equals("COMPLETED") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                state = call(server, "GET", "/v1/queues/dropped/migrate", null).get("state").asText();
            }
            assertEquals("COMPLETED", state, "the migration of a deleted queue ends");
            clock.advance(61_000);
            String again = sqs.createQueue(b -> b.queueName("dropped")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(again).messageBody("new life"));
            assertEquals("1", sqs.getQueueAttributes(b -> b.queueUrl(again).attributeNames(QueueAttributeName.ALL))
                    .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            assertEquals(List.of(to), List.of(groupOf(call(server, "GET", "/v1/queues/dropped", null))));
            assertEquals(1, call(server, "GET", "/v1/queues/dropped", null).get("groups").size());
            assertEquals("new life", sqs.receiveMessage(b -> b.queueUrl(again).waitTimeSeconds(2)).messages().get(0).body());
            HttpResponse<String> next = attempt(server, "POST", "/v1/queues/dropped/migrate", "{\"toGroup\":\"" + from + "\"}");
            assertEquals(200, next.statusCode(), next.body());
        }
    }

    @Test
    void aPartitionedQueueCreatedAgainWithARedrivePolicyOnlyOnePartitionCanTakeIsNotHalfCreated(@TempDir Path directory)
            throws Exception {
        MovableClock clock = new MovableClock();
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)),
                clock)) {
            SqsClient sqs = server.sqs();
            String dlq = sqs.createQueue(b -> b.queueName("reborn-dlq")).queueUrl();
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            Map<QueueAttributeName, String> redrive = Map.of(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + arn + "\",\"maxReceiveCount\":\"3\"}");
            // Created with the policy, the queue lands in its dead-letter queue's group; then spread without it.
            String url = sqs.createQueue(b -> b.queueName("reborn").attributes(redrive)).queueUrl();
            sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, "")));
            call(server, "PUT", "/v1/queues/reborn/partitions", "{\"count\":4}");
            sqs.deleteQueue(b -> b.queueUrl(url));
            clock.advance(61_000);

            try {
                sqs.createQueue(b -> b.queueName("reborn").attributes(redrive));
            } catch (software.amazon.awssdk.services.sqs.model.SqsException refused) {
                assertEquals(400, refused.statusCode());
                assertThrowsQueueDoesNotExist(() -> sqs.getQueueUrl(b -> b.queueName("reborn")));
                return;
            }
            for (int i = 0; i < 8; i++) {
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("to every partition"));
            }
        }
    }

    private static void assertThrowsQueueDoesNotExist(Runnable call) {
        try {
            call.run();
            throw new AssertionError("a refused create left the queue behind in one partition");
        } catch (software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException expected) {
            // nothing was created
        }
    }
}
