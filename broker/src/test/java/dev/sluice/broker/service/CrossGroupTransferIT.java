package dev.sluice.broker.service;

import static dev.sluice.broker.service.TwoGroupNode.arn;
import static dev.sluice.broker.service.TwoGroupNode.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.core.Transfer;
import dev.sluice.broker.core.TransferImport;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.ListMessageMoveTasksRequest;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.clientsdk.model.StartMessageMoveTaskRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redrive and move tasks between two Raft data groups of a real node: a queue in group 0, its
 * dead-letter queue in group 1. Messages leave their queue into the outbox in the same apply and
 * reach the other group through the transfer worker, once each, in order per FIFO group, also
 * across a restart of the node with transfers pending.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrossGroupTransferIT {
    @TempDir
    Path dir;
    private TwoGroupNode node;

    @BeforeEach
    void start() throws Exception {
        node = new TwoGroupNode(dir);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    private void createDeadLetterPair(String work, String dead, boolean fifo) throws Exception {
        Map<String, String> deadAttributes = fifo ? Map.of("FifoQueue", "true") : Map.of();
        node.client(1).createQueue(new CreateQueueRequest(dead, deadAttributes, Map.of())).get(30, TimeUnit.SECONDS);
        node.placement.put(dead, 1);
        Map<String, String> attributes = new HashMap<>(Map.of("VisibilityTimeout", "0", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + arn(dead) + "\",\"maxReceiveCount\":\"1\"}"));
        if (fifo) {
            attributes.put("FifoQueue", "true");
        }
        node.commands().createQueue(0, new CreateQueueRequest(work, attributes, Map.of())).get(30, TimeUnit.SECONDS);
        node.placement.put(work, 0);
    }

    private List<String> send(String queue, int count, String messageGroup) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(node.client(0).sendMessage(new SendMessageRequest(url(queue), "m" + i, null, null, null,
                    messageGroup == null ? null : "d" + i, messageGroup)).get(30, TimeUnit.SECONDS).messageId());
        }
        return ids;
    }

    @Test
    void deadLettersOfAStandardQueueReachItsDeadLetterQueueInAnotherGroupOnceWithTheirIdsAndSource() throws Exception {
        createDeadLetterPair("work", "dead", false);
        node.startWorkers();
        List<String> sent = send("work", 25, null);

        node.receiveUntilDeadLettered("work", 25);
        List<Message> dead = node.drain(1, "dead", 25);

        assertEquals(new TreeSet<>(sent), TwoGroupNode.ids(dead));
        assertEquals(25, dead.size(), "each message once");
        dead.forEach(message -> assertEquals(arn("work"), message.attributes().get("DeadLetterQueueSourceArn")));
        TwoGroupNode.await(() -> node.pendingTransfers(0) == 0, "the outbox to drain");
        assertEquals(0, node.visible(0, "work"));
        assertEquals(0, node.visible(1, "dead"));
    }

    @Test
    void aFifoDeadLetterQueueInAnotherGroupKeepsTheOrderOfEachGroup() throws Exception {
        createDeadLetterPair("work.fifo", "dead.fifo", true);
        node.startWorkers();
        List<String> sent = send("work.fifo", 30, "g1");

        node.receiveUntilDeadLettered("work.fifo", 30);
        List<Message> dead = node.drain(1, "dead.fifo", 30);

        assertEquals(sent, dead.stream().map(Message::messageId).toList(), "the group's order in the dead-letter queue");
    }

    @Test
    void aMoveTaskRedrivesDeadLettersBackToTheirSourceInAnotherGroup() throws Exception {
        createDeadLetterPair("work", "dead", false);
        node.startWorkers();
        send("work", 12, null);
        node.receiveUntilDeadLettered("work", 12);
        TwoGroupNode.await(() -> {
            try {
                return node.visible(1, "dead") == 12;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "12 dead letters");

        node.commands().startMessageMoveTask(1, new StartMessageMoveTaskRequest(arn("dead"), null, null)).get(30, TimeUnit.SECONDS);
        List<Message> back = node.drain(0, "work", 12);

        assertEquals(12, back.size());
        assertEquals(12, new TreeSet<>(back.stream().map(Message::body).toList()).size(), "each once");
        assertEquals(0, node.visible(1, "dead"));
        assertEquals("COMPLETED", node.client(1).listMessageMoveTasks(new ListMessageMoveTasksRequest(arn("dead"), 1))
                .get(30, TimeUnit.SECONDS).results().get(0).status());
    }

    @Test
    void aMoveTaskMovesToAnExplicitDestinationInAnotherGroup() throws Exception {
        createDeadLetterPair("work", "dead", false);
        node.client(0).createQueue(new CreateQueueRequest("replay", Map.of(), Map.of())).get(30, TimeUnit.SECONDS);
        node.placement.put("replay", 0);
        node.startWorkers();
        send("work", 8, null);
        node.receiveUntilDeadLettered("work", 8);
        drainUntilVisible(1, "dead", 8);

        node.commands().startMessageMoveTask(1, new StartMessageMoveTaskRequest(arn("dead"), arn("replay"), null))
                .get(30, TimeUnit.SECONDS);
        List<Message> replayed = node.drain(0, "replay", 8);

        assertEquals(8, replayed.size());
        assertEquals(0, node.visible(0, "work"));
        assertEquals(0, node.visible(1, "dead"));
    }

    private void drainUntilVisible(int group, String queue, int count) throws InterruptedException {
        TwoGroupNode.await(() -> {
            try {
                return node.visible(group, queue) == count;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, count + " messages in " + queue);
    }

    @Test
    void anImportRepeatedWithTheSameTransferIdStoresOneCopy() throws Exception {
        createDeadLetterPair("work", "dead", false);
        send("work", 1, null);
        node.receiveUntilDeadLettered("work", 1);
        Transfer transfer = node.engine(0).read(book -> book.transfers().next(1, 1, t -> true)).get(0);
        TransferImport item = new TransferImport(transfer.transferId("data-0"), transfer.destinationArn(), transfer.delivered());

        assertEquals(List.of(TransferImport.Outcome.IMPORTED), node.client(1).importTransfers(List.of(item)).get(30, TimeUnit.SECONDS));
        assertEquals(List.of(TransferImport.Outcome.ALREADY_IMPORTED),
                node.client(1).importTransfers(List.of(item)).get(30, TimeUnit.SECONDS));

        assertEquals(1, node.visible(1, "dead"));
    }

    @Test
    void transfersPendingWhenTheNodeStopsAreDeliveredOnceAfterItRestarts() throws Exception {
        createDeadLetterPair("work.fifo", "dead.fifo", true);
        List<String> sent = send("work.fifo", 20, "g1");
        node.receiveUntilDeadLettered("work.fifo", 20);
        assertEquals(20, node.pendingTransfers(0), "no worker yet: all wait in the outbox");
        // Half of them imported before the crash, as if the worker died before settling them.
        List<TransferImport> firstHalf = node.engine(0).read(book -> book.transfers().next(10, 10, t -> true)).stream()
                .map(t -> new TransferImport(t.transferId("data-0"), t.destinationArn(), t.delivered())).toList();
        node.client(1).importTransfers(firstHalf).get(30, TimeUnit.SECONDS);

        node.restart();
        assertEquals(20, node.pendingTransfers(0), "the outbox is rebuilt from storage");
        node.startWorkers();
        TwoGroupNode.await(() -> node.pendingTransfers(0) == 0, "the outbox to drain");
        List<Message> dead = node.drain(1, "dead.fifo", 20);

        assertEquals(sent, dead.stream().map(Message::messageId).toList(), "once each, in order");
        assertTrue(node.receive(1, "dead.fifo", 10).isEmpty());
    }
}
