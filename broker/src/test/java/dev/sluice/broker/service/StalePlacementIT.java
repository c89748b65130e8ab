package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.core.QueueLayout;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.SendMessageRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A node whose cached placement went stale under a layout change ({@link StaleNode}: its cache never expires) cannot
 * put work in the wrong place: the fenced group refuses it (QueueMoved), the node reads the placement again and its
 * request lands where the queue is now. A real server with four data groups, AWS SDK v2 clients for the queue's
 * other users.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StalePlacementIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode operator(SqsTestServer server, String method, String path, String body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    private static SendMessageRequest send(String url, String body) {
        return new SendMessageRequest(url, body, null, null, null, null, null);
    }

    private static SendMessageRequest sendFifo(String url, String body, String messageGroupId) {
        return new SendMessageRequest(url, body, null, null, null, body, messageGroupId);
    }

    private static ReceiveMessageRequest receive(String url) {
        return new ReceiveMessageRequest(url, null, null, null, 10, null, 0, null);
    }

    private static SqsTestServer fourGroups(Path directory) throws Exception {
        return SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)));
    }

    /**
     * A transfer (redrive, move task) bound for a queue that was migrated moments ago, resolved through a placement cached
     * before the migration: the old group's copy is gone, and the queue must be found where it went, not reported
     * missing (the transfer went back to its source and a move task failed).
     */
    @Test
    void aTransferDestinationResolvedByAPlacementCachedBeforeItsMigrationIsFoundWhereItWent(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = fourGroups(directory); StaleNode stale = new StaleNode(server.sluice())) {
            server.sqs().createQueue(b -> b.queueName("destination"));
            Placement before = stale.cached("destination");
            int to = (before.primary() + 1) % 4;
            operator(server, "POST", "/v1/queues/destination/migrate", "{\"toGroup\":\"data-" + to + "\"}");
            String state = "RUNNING";
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!state.equals("COMPLETED") && System.nanoTime() < until) {
                Thread.sleep(100);
                state = operator(server, "GET", "/v1/queues/destination/migrate", null).get("state").asText();
            }
            assertEquals("COMPLETED", state);
            assertEquals(before, stale.cached("destination"), "the node still caches the placement from before");

            List<EngineQueueClient> groups = List.of(stale.group(0), stale.group(1), stale.group(2), stale.group(3));
            assertEquals(to, new PlacedQueueGroups(stale.placement, groups).groupOf("destination").get(10, TimeUnit.SECONDS));
            SqsException missing = assertThrows(SqsException.class, () -> {
                try {
                    new PlacedQueueGroups(stale.placement, groups).groupOf("never-created").join();
                } catch (CompletionException e) {
                    throw e.getCause();
                }
            });
            assertEquals(SqsError.QUEUE_DOES_NOT_EXIST, missing.error());
        }
    }

    @Test
    void aSendFromANodeThatCachedThePlacementBeforeAMigrationLandsInTheNewGroupAndIsReceived(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = fourGroups(directory); StaleNode stale = new StaleNode(server.sluice());
                StaleNode staleUntilTheEnd = new StaleNode(server.sluice())) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("moving")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("held"));
            // A message in flight keeps the old group's queue from being removed while the test looks at it.
            Message held = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(120)).messages().get(0);
            Placement before = stale.cached("moving");
            assertEquals(before, staleUntilTheEnd.cached("moving"));
            int from = before.home();
            int to = (from + 1) % 4;

            operator(server, "POST", "/v1/queues/moving/migrate", "{\"toGroup\":\"data-" + to + "\"}");
            assertEquals(before, stale.cached("moving"), "the stale node still routes by the old placement");

            stale.router.sendMessage(send(stale.urlOf("moving"), "late")).join();

            assertEquals(1, stale.messagesIn(from, "moving"), "the old group holds only the message in flight");
            assertEquals(1, stale.messagesIn(to, "moving"), "the late send is in the new group");
            assertEquals(List.of(to), stale.cached("moving").partitions(), "the stale node read the placement again");
            List<String> received = new ArrayList<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!received.contains("late") && System.nanoTime() < until) {
                for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages()) {
                    received.add(message.body());
                    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                }
            }
            assertEquals(List.of("late"), received);

            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(held.receiptHandle()));
            String state = "RUNNING";
            until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!state.equals("COMPLETED") && System.nanoTime() < until) {
                Thread.sleep(100);
                state = operator(server, "GET", "/v1/queues/moving/migrate", null).get("state").asText();
            }
            assertEquals("COMPLETED", state);
            assertTrue(!stale.engine(from).read(book -> book.exists("moving")), "the drained queue was deleted");

            // A node still caching the placement from before the migration: the old group has no queue any more.
            assertEquals(before, staleUntilTheEnd.cached("moving"));
            staleUntilTheEnd.router.sendMessage(send(staleUntilTheEnd.urlOf("moving"), "after")).join();
            // A node still caching the draining placement: the old group's QueueDoesNotExist counts as empty.
            assertEquals(List.of(from), stale.cached("moving").draining());
            List<String> afterwards = stale.router.receiveMessage(receive(stale.urlOf("moving"))).join().messages().stream()
                    .map(dev.sluice.clientsdk.model.Message::body).toList();
            assertEquals(List.of("after"), afterwards);
        }
    }

    @Test
    void aSendByTheOldPartitionCountIsRefusedByThePartitionAndRetriedInTheRightOneKeepingGroupOrder(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = fourGroups(directory); StaleNode stale = new StaleNode(server.sluice())) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("orders.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                    QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId",
                    QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"))).queueUrl();
            Placement before = stale.cached("orders.fifo");

            operator(server, "PUT", "/v1/queues/orders.fifo/partitions", "{\"count\":3}");
            assertEquals(before, stale.cached("orders.fifo"), "the stale node still sends every group to one partition");

            Map<Integer, String> groupOfPartition = new LinkedHashMap<>();
            for (int i = 0; groupOfPartition.size() < 3; i++) {
                groupOfPartition.putIfAbsent(QueueLayout.partitionOf("customer-" + i, 3), "customer-" + i);
            }
            for (String group : groupOfPartition.values()) {
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(group + "/1").messageGroupId(group).messageDeduplicationId(group + "/1"));
                stale.router.sendMessage(sendFifo(stale.urlOf("orders.fifo"), group + "/2", group)).join();
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(group + "/3").messageGroupId(group).messageDeduplicationId(group + "/3"));
            }

            Placement after = stale.cached("orders.fifo");
            assertEquals(3, after.partitions().size(), "the stale node read the placement again");
            for (int index = 0; index < 3; index++) {
                assertEquals(3, stale.messagesIn(after.partitions().get(index), "orders.fifo"),
                        "partition " + index + " holds its one message group's three messages, no other");
            }
            Map<String, List<String>> order = new LinkedHashMap<>();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (order.values().stream().mapToInt(List::size).sum() < 9 && System.nanoTime() < until) {
                for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages()) {
                    String group = message.body().substring(0, message.body().indexOf('/'));
                    order.computeIfAbsent(group, key -> new ArrayList<>()).add(message.body());
                    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                }
            }
            for (String group : groupOfPartition.values()) {
                assertEquals(List.of(group + "/1", group + "/2", group + "/3"), order.get(group), "order of " + group);
            }
        }
    }

    @Test
    void aQueueClosedWhilePlacementNeverMovesIsAnsweredThrottledAfterABoundedBackoffNotABusyLoop(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = fourGroups(directory); StaleNode stale = new StaleNode(server.sluice())) {
            String url = server.sqs().createQueue(b -> b.queueName("stuck")).queueUrl();
            int group = stale.cached("stuck").home();
            stale.group(group).setLayout("stuck", new QueueLayout(QueueLayout.Fence.CLOSED, 0, 0)).join();
            long entriesBefore = stale.appliedIndex(group);
            long began = System.nanoTime();

            CompletableFuture<?> sent = stale.router.sendMessage(send(stale.urlOf("stuck"), "nowhere"));
            CompletableFuture<?> polled = stale.router.receiveMessage(
                    new ReceiveMessageRequest(stale.urlOf("stuck"), null, null, null, 1, null, 20, null));

            for (CompletableFuture<?> answer : List.of(sent, polled)) {
                CompletionException failed = assertThrows(CompletionException.class, answer::join);
                assertEquals(SqsError.REQUEST_THROTTLED, ((SqsException) failed.getCause()).error());
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
            assertTrue(seconds >= 9 && seconds < 30, seconds + " s");
            long entries = stale.appliedIndex(group) - entriesBefore;
            assertTrue(entries < 100, entries + " entries: a retry backs off instead of proposing in a loop");
            assertNotEquals(0, entries);
            assertEquals(SqsError.REQUEST_THROTTLED, SqsError.QUEUE_MOVED.answered(), "and should it ever reach a client");
            assertTrue(url.endsWith("/stuck"));
        }
    }
}
