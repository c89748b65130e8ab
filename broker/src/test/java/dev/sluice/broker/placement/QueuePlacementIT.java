package dev.sluice.broker.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/** Queues spread over four data groups of one node, seen through the AWS SDK and the REST API. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QueuePlacementIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private static SqsTestServer fourGroups(Path directory) throws Exception {
        return SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)));
    }

    private String groupOf(SqsTestServer server, String name) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/v1/queues/" + name)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode groups = JSON.readTree(answer.body()).get("groups");
        assertEquals(1, groups.size(), answer.body());
        return groups.get(0).asText();
    }

    @Test
    void newQueuesFillTheLeastLoadedGroupsFirst(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = fourGroups(directory)) {
            Map<String, Integer> perGroup = new TreeMap<>();
            for (int i = 0; i < 8; i++) {
                server.sqs().createQueue(b -> b.queueName("spread-" + System.nanoTime()));
            }
            for (String url : server.sqs().listQueues(b -> b.queueNamePrefix("spread-")).queueUrls()) {
                perGroup.merge(groupOf(server, url.substring(url.lastIndexOf('/') + 1)), 1, Integer::sum);
            }
            assertEquals(Map.of("data-0", 2, "data-1", 2, "data-2", 2, "data-3", 2), perGroup);
        }
    }

    @Test
    void aQueueWithARedrivePolicyGoesToItsDeadLetterQueuesGroupAndRedrivesThere(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = fourGroups(directory)) {
            SqsClient sqs = server.sqs();
            sqs.createQueue(b -> b.queueName("filler-a"));
            String dlq = sqs.createQueue(b -> b.queueName("dead-letters")).queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            sqs.createQueue(b -> b.queueName("filler-b"));
            String source = sqs.createQueue(b -> b.queueName("work").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                    "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}"))).queueUrl();
            assertEquals(groupOf(server, "dead-letters"), groupOf(server, "work"));
            assertEquals(List.of(source), sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls());

            sqs.sendMessage(b -> b.queueUrl(source).messageBody("poison"));
            assertEquals(1, sqs.receiveMessage(b -> b.queueUrl(source).visibilityTimeout(0)).messages().size());
            List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(source).waitTimeSeconds(1)).messages();
            assertTrue(dead.isEmpty(), "the second receive dead-letters the message instead");
            assertEquals("poison", sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(5)).messages().get(0).body());
        }
    }

    @Test
    void concurrentCreatesOfOneNameMakeOneQueueInOneGroup(@TempDir Path directory) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (SqsTestServer server = fourGroups(directory)) {
            for (int round = 0; round < 5; round++) {
                String name = "contested-" + round;
                List<CompletableFuture<String>> urls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    urls.add(CompletableFuture.supplyAsync(() -> server.sqs().createQueue(b -> b.queueName(name)).queueUrl(), callers));
                }
                Set<String> distinct = new HashSet<>();
                urls.forEach(url -> distinct.add(url.join()));
                assertEquals(1, distinct.size());
                assertEquals(1, server.sqs().listQueues(b -> b.queueNamePrefix(name)).queueUrls().size(),
                        "one queue of that name across all groups");
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void listQueuesPagesThroughEveryGroupInNameOrder(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = fourGroups(directory)) {
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                String name = String.format("paged-%02d", i);
                created.add(server.sqs().createQueue(b -> b.queueName(name)).queueUrl());
            }
            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String current = token;
                ListQueuesResponse page = server.sqs().listQueues(b -> b.queueNamePrefix("paged-").maxResults(5).nextToken(current));
                assertTrue(page.queueUrls().size() <= 5);
                seen.addAll(page.queueUrls());
                token = page.nextToken();
                pages++;
            } while (token != null);
            assertEquals(created, seen, "every queue once, sorted by name");
            assertEquals(5, pages);
            assertNull(server.sqs().listQueues(b -> b.queueNamePrefix("paged-")).nextToken());
        }
    }

    @Test
    void aNameClaimedByACreateThatCrashedBeforeItsGroupCreatedTheQueueCanStillBeCreated(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = fourGroups(directory)) {
            // What a crash between the claim and the group's CreateQueue leaves behind: a record, no queue.
            server.sluice().node().catalog().putIfAbsent("queue-placement", "000000000000/half-made",
                    new BinaryWriter(8).putByte(1).putInt(3).toByteArray()).join();
            assertThrowsMissing(server.sqs(), "half-made");
            String url = server.sqs().createQueue(b -> b.queueName("half-made")).queueUrl();
            assertEquals("data-3", groupOf(server, "half-made"));
            server.sqs().sendMessage(b -> b.queueUrl(url).messageBody("made"));
            assertEquals("made", server.sqs().receiveMessage(b -> b.queueUrl(url)).messages().get(0).body());
        }
    }

    @Test
    void aLongPollWaitsInTheQueuesGroupAndPlacementSurvivesARestart(@TempDir Path directory) throws Exception {
        String url;
        String group;
        try (SqsTestServer server = fourGroups(directory)) {
            for (int i = 0; i < 3; i++) {
                server.sqs().createQueue(b -> b.queueName("before-" + System.nanoTime()));
            }
            url = server.sqs().createQueue(b -> b.queueName("polled")).queueUrl();
            group = groupOf(server, "polled");
            assertEquals("data-3", group);
            CompletableFuture<List<Message>> poll = CompletableFuture.supplyAsync(
                    () -> server.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10)).messages());
            Thread.sleep(500);
            server.sqs().sendMessage(b -> b.queueUrl(url).messageBody("woken"));
            assertEquals("woken", poll.get(8, TimeUnit.SECONDS).get(0).body());
            server.sqs().sendMessage(b -> b.queueUrl(url).messageBody("kept"));
        }
        try (SqsTestServer server = fourGroups(directory)) {
            assertEquals(group, groupOf(server, "polled"));
            String restartedUrl = server.sqs().getQueueUrl(b -> b.queueName("polled")).queueUrl();
            assertEquals("kept", server.sqs().receiveMessage(b -> b.queueUrl(restartedUrl).waitTimeSeconds(5))
                    .messages().get(0).body());
        }
    }

    private static void assertThrowsMissing(SqsClient sqs, String name) {
        try {
            sqs.getQueueUrl(b -> b.queueName(name));
            throw new AssertionError(name + " should not exist yet");
        } catch (QueueDoesNotExistException expected) {
            // as for any missing queue
        }
    }
}
