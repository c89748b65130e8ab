package dev.sluice.broker.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.service.EngineQueueClient;
import dev.sluice.broker.service.ReceiveWaiters;
import dev.sluice.broker.service.SqsLimits;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.clientsdk.model.DeleteQueueRequest;
import dev.sluice.raftstore.RaftStoreNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** One queue spread over the four data groups of a node, used through the AWS SDK as any queue. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PartitionedQueueIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, config -> config.withRaft(config.raft().withDataGroups(4)));
        sqs = server.sqs();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> partition(String name, int count) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/queues/" + name + "/partitions"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"count\":" + count + "}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String partitioned(String name, Map<QueueAttributeName, String> attributes, int count) throws Exception {
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        HttpResponse<String> answer = partition(name, count);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(count, JSON.readTree(answer.body()).get("groups").size(), answer.body());
        return url;
    }

    private static long approximate(String url, QueueAttributeName name) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name));
    }

    @Test
    void aPeekReadsTheOldestMessagesOfEveryPartitionWithoutReceivingThem() throws Exception {
        String url = partitioned("peeked-spread", Map.of(), 3);
        for (int i = 0; i < 9; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + n));
        }
        JsonNode all = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/queues/peeked-spread/messages/peek?max=20")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .get("messages");
        assertEquals(9, all.size(), all.toString());
        long previous = 0;
        for (JsonNode message : all) {
            long sent = Long.parseLong(message.get("attributes").get("SentTimestamp").asText());
            assertTrue(sent >= previous, "oldest first: " + all);
            previous = sent;
            assertEquals("0", message.get("attributes").get("ApproximateReceiveCount").asText());
        }
        JsonNode some = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/queues/peeked-spread/messages/peek?max=4")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .get("messages");
        assertEquals(4, some.size());
        List<Message> received = new ArrayList<>();
        for (int attempt = 0; attempt < 20 && received.size() < 9; attempt++) {
            received.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(60)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages());
        }
        assertEquals(9, received.size());
        received.forEach(message -> assertEquals("1", message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)));
    }

    @Test
    void sendsSpreadOverPartitionsAndReceivesDrawFromAllOfThem() throws Exception {
        String url = partitioned("hot", Map.of(), 4);
        JsonNode described = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/queues/hot")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(4, described.get("groups").size());
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String body = "single-" + i;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
            sent.add(body);
        }
        for (int batch = 0; batch < 8; batch++) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String body = "batch-" + batch + "-" + i;
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(body).build());
                sent.add(body);
            }
            assertTrue(sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).failed().isEmpty());
        }
        assertEquals(120, approximate(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), "counts summed over partitions");

        Set<String> received = new HashSet<>();
        Set<String> groupsSeen = new HashSet<>();
        while (received.size() < sent.size()) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2)).messages();
            assertTrue(!messages.isEmpty(), "messages left: " + (sent.size() - received.size()));
            for (Message message : messages) {
                assertTrue(received.add(message.body()), "delivered once: " + message.body());
                groupsSeen.add(message.receiptHandle().substring(0, message.receiptHandle().indexOf('.')));
            }
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id("d" + i).receiptHandle(messages.get(i).receiptHandle()).build());
            }
            assertTrue(sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(deletes)).failed().isEmpty());
        }
        assertEquals(sent, received);
        assertEquals(4, groupsSeen.size(), "messages came from every partition: " + groupsSeen);
        assertEquals(0, approximate(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals(0, approximate(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void aLongPollOnAPartitionedQueueWakesForASendToAnyPartition() throws Exception {
        String url = partitioned("polled-partitions", Map.of(), 3);
        for (int round = 0; round < 3; round++) {
            String body = "wake-" + round;
            CompletableFuture<List<Message>> poll = CompletableFuture.supplyAsync(
                    () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10)).messages());
            Thread.sleep(300);
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
            List<Message> messages = poll.get(8, TimeUnit.SECONDS);
            assertEquals(body, messages.get(0).body());
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(messages.get(0).receiptHandle()));
        }
    }

    @Test
    void attributesPurgeVisibilityAndDeleteApplyToEveryPartition() throws Exception {
        String url = partitioned("settings-everywhere", Map.of(), 4);
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1")));
        for (int i = 0; i < 12; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + n));
        }
        List<Message> taken = new ArrayList<>();
        while (taken.size() < 12) {
            taken.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(30)).messages());
        }
        List<ChangeMessageVisibilityBatchRequestEntry> changes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            changes.add(ChangeMessageVisibilityBatchRequestEntry.builder().id("c" + i)
                    .receiptHandle(taken.get(i).receiptHandle()).visibilityTimeout(0).build());
        }
        assertTrue(sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(changes)).failed().isEmpty());
        assertEquals(10, approximate(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals(2, approximate(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        sqs.purgeQueue(b -> b.queueUrl(url));
        assertEquals(0, approximate(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals(0, approximate(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        // Every partition took the new visibility timeout: a message received with the default comes back after 1 s.
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("after"));
        assertEquals("after", sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages().get(0).body());
        assertEquals("after", sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages().get(0).body());
        sqs.deleteQueue(b -> b.queueUrl(url));
        assertTrue(sqs.listQueues(b -> b.queueNamePrefix("settings-everywhere")).queueUrls().isEmpty());
    }

    /**
     * A DeleteQueue that failed half-way (a group without a leader) left one partition deleted and the others not. The
     * client's retry must remove the rest: leftovers would be inherited by a queue created again under the name.
     */
    @Test
    void aDeleteQueueRetriedAfterItFailedHalfWayRemovesEveryPartition() throws Exception {
        String url = partitioned("half-deleted", Map.of(), 4);
        for (int i = 0; i < 20; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("left-" + n));
        }
        JsonNode described = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/queues/half-deleted")).build(), HttpResponse.BodyHandlers.ofString()).body());
        int notFirst = Integer.parseInt(described.get("groups").get(2).asText().substring("data-".length()));
        groupClient(notFirst).deleteQueue(new DeleteQueueRequest(url)).get(10, TimeUnit.SECONDS);

        sqs.deleteQueue(b -> b.queueUrl(url));
        assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueUrl(b -> b.queueName("half-deleted")));
        for (int group = 0; group < 4; group++) {
            assertFalse(groupClient(group).exists("half-deleted").get(10, TimeUnit.SECONDS),
                    "data-" + group + " keeps no part of the deleted queue (a queue created again would inherit its messages)");
        }
    }

    /** One data group's own client, as the router holds it: to leave a queue half-changed the way a failure would. */
    private static EngineQueueClient groupClient(int group) {
        RaftStoreNode node = server.sluice().node();
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        return new EngineQueueClient(node.dataGroup(group), (QueueEngine) node.localEngine(group),
                new ReceiveWaiters(10, timers, timers), SqsLimits.defaults(), "000000000000",
                () -> "http://127.0.0.1:" + server.port(), Clock.systemUTC());
    }

    @Test
    void aHighThroughputFifoQueueKeepsEachGroupsOrderAndDeduplicationAcrossPartitions() throws Exception {
        String url = partitioned("orders.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId",
                QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"), 4);
        Map<String, List<Integer>> expected = new HashMap<>();
        for (int n = 0; n < 10; n++) {
            for (int g = 0; g < 8; g++) {
                String group = "customer-" + g;
                int counter = n;
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(group + ":" + counter).messageGroupId(group)
                        .messageDeduplicationId(group + "-" + counter));
                expected.computeIfAbsent(group, key -> new ArrayList<>()).add(counter);
            }
        }
        String original = sqs.sendMessage(b -> b.queueUrl(url).messageBody("customer-3:0").messageGroupId("customer-3")
                .messageDeduplicationId("customer-3-0")).messageId();
        assertTrue(original != null);
        assertEquals(80, approximate(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), "the resend was deduplicated");

        Map<String, List<Integer>> delivered = new HashMap<>();
        int total = 0;
        while (total < 80) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(2)
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
            assertTrue(!messages.isEmpty());
            for (Message message : messages) {
                String[] parts = message.body().split(":");
                delivered.computeIfAbsent(parts[0], key -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                total++;
            }
        }
        assertEquals(expected, delivered);
    }

    @Test
    void partitionsAreRefusedWhereTheyWouldBreakAQueuesPromises() throws Exception {
        sqs.createQueue(b -> b.queueName("strict.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")));
        HttpResponse<String> strict = partition("strict.fifo", 2);
        assertEquals(400, strict.statusCode(), strict.body());
        assertEquals("InvalidParameterValue", JSON.readTree(strict.body()).get("code").asText());

        String busy = sqs.createQueue(b -> b.queueName("busy.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId",
                QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"))).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(busy).messageBody("x").messageGroupId("g").messageDeduplicationId("x"));
        assertEquals(400, partition("busy.fifo", 2).statusCode());

        partitioned("shrinking", Map.of(), 3);
        // One fewer drains the last partition into the others (PartitionMigrationIT); two fewer at once is refused.
        assertEquals(400, partition("shrinking", 1).statusCode());
        assertEquals(400, partition("shrinking", 5).statusCode());
        assertEquals(404, partition("never-created", 2).statusCode());
    }
}
