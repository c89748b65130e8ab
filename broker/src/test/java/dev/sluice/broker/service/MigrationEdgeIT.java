package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.model.DeleteQueueRequest;
import dev.sluice.clientsdk.model.PurgeQueueRequest;
import dev.sluice.clientsdk.model.SetQueueAttributesRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * What a client sees of a queue while it migrates, through the queue-wide actions and long polls a migration's fence
 * and {@link StalePlacementRetry} affect: a real server with four data groups, AWS SDK v2 clients, and a
 * {@link StaleNode} for a node that cached the placement just before the switch.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MigrationEdgeIT {
    private final HttpClient http = HttpClient.newHttpClient();

    private void migrate(SqsTestServer server, String name, int toGroup) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/v1/queues/" + name + "/migrate"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"toGroup\":\"data-" + toGroup + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private void awaitCompleted(SqsTestServer server, String name) throws Exception {
        String state = "";
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!state.contains("\"COMPLETED\"") && System.nanoTime() < until) {
            Thread.sleep(100);
            state = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/queues/" + name
                    + "/migrate")).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        assertTrue(state.contains("\"COMPLETED\""), state);
    }

    private static SqsTestServer fourGroups(Path directory) throws Exception {
        return SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)));
    }

    private static void awaitMessagesIn(StaleNode node, int group, String name, long count) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.messagesIn(group, name) != count && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(count, node.messagesIn(group, name), "messages of " + name + " in group " + group);
    }

    /**
     * A queue migrating with one message held in flight in its old group (so the old queue stays) and one already moved
     * to the new group; answers the old group.
     */
    private static int migratingWithAMovedMessage(SqsTestServer server, MigrationEdgeIT test, StaleNode stale, String name)
            throws Exception {
        SqsClient sqs = server.sqs();
        String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("held"));
        sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(120)).messages().get(0);
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("moved"));
        int from = stale.cached(name).home();
        int to = (from + 1) % 4;
        test.migrate(server, name, to);
        awaitMessagesIn(stale, to, name, 1);
        return from;
    }

    @Test
    void aDeleteQueueFromANodeThatCachedThePlacementBeforeAMigrationDeletesTheQueueInTheNewGroupToo(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = fourGroups(directory); StaleNode stale = new StaleNode(server.sluice())) {
            int from = migratingWithAMovedMessage(server, this, stale, "doomed");
            int to = (from + 1) % 4;
            assertEquals(Placement.single(from), stale.cached("doomed"), "the node still routes by the old placement");

            stale.router.deleteQueue(new DeleteQueueRequest(stale.urlOf("doomed"))).join();

            boolean left = stale.engine(to).read(book -> book.exists("doomed"));
            assertFalse(left, "the new group's queue is deleted");
            assertThrows(QueueDoesNotExistException.class, () -> server.sqs().getQueueUrl(b -> b.queueName("doomed")));
        }
    }

    @Test
    void aPurgeAndAnAttributeChangeFromANodeThatCachedThePlacementBeforeAMigrationReachTheNewGroup(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = fourGroups(directory); StaleNode stale = new StaleNode(server.sluice())) {
            int from = migratingWithAMovedMessage(server, this, stale, "purged");
            int to = (from + 1) % 4;

            stale.router.setQueueAttributes(new SetQueueAttributesRequest(stale.urlOf("purged"),
                    Map.of("VisibilityTimeout", "77"))).join();
            stale.router.purgeQueue(new PurgeQueueRequest(stale.urlOf("purged"))).join();

            awaitMessagesIn(stale, to, "purged", 0);
            String url = server.sqs().getQueueUrl(b -> b.queueName("purged")).queueUrl();
            assertEquals("77", server.sqs().getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT));
        }
    }

    @Test
    void aLongPollWaitingInTheOldGroupWhenTheMigrationRemovesItAnswersWithinItsWaitTime(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = fourGroups(directory); StaleNode stale = new StaleNode(server.sluice())) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("polled")).queueUrl();
            int from = stale.cached("polled").home();
            long began = System.nanoTime();
            CompletableFuture<ReceiveMessageResponse> polled = CompletableFuture.supplyAsync(
                    () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(12)));
            Thread.sleep(6_000);

            migrate(server, "polled", (from + 1) % 4);

            ReceiveMessageResponse answer = polled.get(60, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertEquals(List.<Message>of(), answer.messages());
            assertTrue(millis < 13_500, millis + " ms for a 12 s long poll: its wait started over after the migration");
        }
    }

    @Test
    void aDeleteWithAHandleIssuedBeforeAMigrationWhoseMessageWasMovedSucceedsWithoutDeletingItAsAnyStaleHandle(
            @TempDir Path directory) throws Exception {
        try (SqsTestServer server = fourGroups(directory); StaleNode stale = new StaleNode(server.sluice())) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("handled")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("slow"));
            String handle = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(1)).messages().get(0).receiptHandle();
            int from = stale.cached("handled").home();
            int to = (from + 1) % 4;
            // Entries in the target group first, so that its queue's id (an entry's sequence) is not the old queue's.
            for (int i = 0; i < 5; i++) {
                stale.group(to).createQueue(new dev.sluice.clientsdk.model.CreateQueueRequest("filler-" + i, Map.of(), Map.of())).join();
            }
            migrate(server, "handled", to);
            awaitCompleted(server, "handled");

            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(handle));
            assertThrows(software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException.class,
                    () -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle("not-a-handle")));

            List<Message> again = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages();
            assertEquals(List.of("slow"), again.stream().map(Message::body).toList(), "moved, not deleted by the stale handle");
        }
    }

    @Test
    void aPartitionedReceiveThatTookMessagesFromOnePartitionAnswersThemWhenAnotherPartitionFails(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = fourGroups(directory); StaleNode stale = new StaleNode(server.sluice())) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("spread.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                    QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId",
                    QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"))).queueUrl();
            HttpResponse<String> spread = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/v1/queues/spread.fifo/partitions")).PUT(HttpRequest.BodyPublishers.ofString("{\"count\":2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, spread.statusCode(), spread.body());
            List<Integer> partitions = stale.cached("spread.fifo").partitions();
            String messageGroup = "g0";
            for (int i = 1; dev.sluice.broker.core.QueueLayout.partitionOf(messageGroup, 2) != 0; i++) {
                messageGroup = "g" + i;
            }
            String group = messageGroup;
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("taken").messageGroupId(group).messageDeduplicationId("1"));
            // The second partition fails every receive (here: its part of the queue is gone, as after a DeleteQueue
            // that failed half-way; a group without a leader answers an error the same way).
            stale.group(partitions.get(1)).deleteQueue(new DeleteQueueRequest(stale.urlOf("spread.fifo"))).join();
            String attempt = "a0";
            for (int i = 1; Math.floorMod(attempt.hashCode(), 2) != 0; i++) {
                attempt = "a" + i;
            }
            String attemptId = attempt;

            List<String> received = sqs.receiveMessage(b -> b.queueUrl(url).receiveRequestAttemptId(attemptId)
                    .maxNumberOfMessages(10).visibilityTimeout(600)).messages().stream().map(Message::body).toList();

            assertEquals(List.of("taken"), received, "the message the receive took out of sight is answered, not hidden");
        }
    }
}
