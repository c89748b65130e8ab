package dev.sluice.broker.service;

import static dev.sluice.broker.service.TwoGroupNode.arn;
import static dev.sluice.broker.service.TwoGroupNode.url;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.DeleteQueueRequest;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.clientsdk.model.StartMessageMoveTaskRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer (a dead letter, a move task's message) whose destination queue migrates to another group between the
 * transfer worker's lookup and its import: the import meets the old group without the queue, and the worker follows
 * the queue to its new group instead of sending the messages back to where they came from. A real node with three
 * data groups; the lookup is held open ({@link HeldLookups}) while the test moves the queue as a migration's last
 * steps do (the copy in the new group, the placement switched, the old group's queue deleted).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransferFollowsMigrationIT {
    @TempDir
    Path dir;
    private TwoGroupNode node;

    @BeforeEach
    void start() throws Exception {
        node = new TwoGroupNode(dir, 3);
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    /** Answers as the node's placement does, except that the first lookup of one queue completes only when released. */
    private static final class HeldLookups implements QueueGroups {
        private final QueueGroups placement;
        private final String held;
        private final CompletableFuture<Void> release = new CompletableFuture<>();
        private final AtomicBoolean asked = new AtomicBoolean();

        HeldLookups(QueueGroups placement, String held) {
            this.placement = placement;
            this.held = held;
        }

        @Override
        public CompletableFuture<Integer> groupOf(String queueName) {
            if (queueName.equals(held) && asked.compareAndSet(false, true)) {
                // The answer of the moment of the lookup; the import happens after the release.
                return placement.groupOf(queueName).thenCombine(release, (group, released) -> group);
            }
            return placement.groupOf(queueName);
        }

        @Override
        public int groupCount() {
            return placement.groupCount();
        }
    }

    /** "work" in group 0 with its dead-letter queue "dead" in group 1. */
    private void createDeadLetterPair() throws Exception {
        node.client(1).createQueue(new CreateQueueRequest("dead", Map.of(), Map.of())).get(30, TimeUnit.SECONDS);
        node.placement.put("dead", 1);
        node.commands().createQueue(0, new CreateQueueRequest("work", Map.of("VisibilityTimeout", "0", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + arn("dead") + "\",\"maxReceiveCount\":\"1\"}"), Map.of())).get(30, TimeUnit.SECONDS);
        node.placement.put("work", 0);
    }

    @Test
    void deadLettersWhoseDeadLetterQueueMigratesBetweenLookupAndImportFollowItInsteadOfGoingBack() throws Exception {
        createDeadLetterPair();
        Set<String> sent = send("work", 6);
        node.receiveUntilDeadLettered("work", 6);
        assertEquals(6, node.pendingTransfers(0), "the dead letters wait in the outbox");

        HeldLookups lookups = new HeldLookups(node.groups, "dead");
        node.startTransferWorker(0, lookups);
        TwoGroupNode.await(lookups.asked::get, "the worker's lookup");
        moveQueue("dead", 1, 2);
        lookups.release.complete(null);

        TwoGroupNode.await(() -> node.pendingTransfers(0) == 0, "the outbox delivered");
        assertEquals(sent, TwoGroupNode.ids(node.drain(2, "dead", 6)), "every dead letter where the queue went");
        assertEquals(0, node.visible(0, "work"), "none went back to its source");
    }

    @Test
    void aMoveTaskWhoseDestinationMigratesBetweenLookupAndImportFollowsItAndSucceeds() throws Exception {
        createDeadLetterPair();
        node.client(0).createQueue(new CreateQueueRequest("replay", Map.of(), Map.of())).get(30, TimeUnit.SECONDS);
        node.placement.put("replay", 0);
        Set<String> sent = new TreeSet<>();
        for (int i = 0; i < 6; i++) {
            sent.add(node.client(1).sendMessage(new SendMessageRequest(url("dead"), "m" + i, null, null, null, null, null))
                    .get(30, TimeUnit.SECONDS).messageId());
        }
        HeldLookups lookups = new HeldLookups(node.groups, "replay");
        node.startTransferWorker(1, lookups);
        node.startMoveTaskWorker(1);
        node.commands().startMessageMoveTask(1, new StartMessageMoveTaskRequest(arn("dead"), arn("replay"), null))
                .get(30, TimeUnit.SECONDS);
        TwoGroupNode.await(lookups.asked::get, "the worker's lookup");
        moveQueue("replay", 0, 2);
        lookups.release.complete(null);

        List<Message> replayed = node.drain(2, "replay", 6);
        assertEquals(6, replayed.size(), "every message where the destination went");
        assertEquals(0, node.visible(1, "dead"), "none went back to the dead-letter queue");
        assertEquals(sent.size(), replayed.size());
    }

    /** What a migration's last steps leave: the queue in {@code to}, the placement naming it, the old queue deleted. */
    private void moveQueue(String name, int from, int to) throws Exception {
        node.client(to).createQueue(new CreateQueueRequest(name, Map.of(), Map.of())).get(30, TimeUnit.SECONDS);
        node.placement.put(name, to);
        node.client(from).deleteQueue(new DeleteQueueRequest(url(name))).get(30, TimeUnit.SECONDS);
    }

    private Set<String> send(String queue, int count) throws Exception {
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(node.client(0).sendMessage(new SendMessageRequest(url(queue), "m" + i, null, null, null, null, null))
                    .get(30, TimeUnit.SECONDS).messageId());
        }
        return ids;
    }
}
