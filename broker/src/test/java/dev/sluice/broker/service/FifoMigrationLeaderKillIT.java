package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.core.QueueExport;
import dev.sluice.broker.service.QueueMigrations.Migration;
import dev.sluice.broker.service.QueueMigrations.State;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.DeleteMessageRequest;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequestEntry;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes, two data groups: a FIFO queue in group 0 is migrated to group 1 by copy. The copy is stopped half-way
 * (a page imported beyond the recorded position, as when a worker dies between the import and the record), the leader
 * of group 0 that drove it is killed, and the workers of the other nodes go on from the record: the migration
 * completes, every message arrives in the new group once and in its group's order, and receipt handles taken in the old
 * group before the move delete their messages in the new one.
 */
@Tag("fault")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FifoMigrationLeaderKillIT {
    private static final String QUEUE = "orders.fifo";
    private static final String BODY_PADDING = "x".repeat(2_000);
    private static final int MESSAGES = 600;
    private static final int MESSAGE_GROUPS = 6;

    @TempDir
    Path dir;
    private final SqsLimits limits = SqsLimits.defaults();
    private final QueueAttributeCodec codec = new QueueAttributeCodec(limits.queueAttributeBounds());
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final ReceiveWaiters waiters = new ReceiveWaiters(1_000, timers, timers);
    private MiniCluster cluster;
    private final Map<Integer, List<EngineQueueClient>> clients = new HashMap<>();
    private final Map<Integer, QueueMigrations> migrations = new HashMap<>();
    private final Map<Integer, QueuePlacement> placements = new HashMap<>();
    private final Map<Integer, MigrationWorker> workers = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        cluster = LeaderKillCluster.start(dir, limits, waiters);
        for (int node = 0; node < 3; node++) {
            connect(node);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (MigrationWorker worker : workers.values()) {
            worker.close();
        }
        cluster.close();
        timers.shutdownNow();
    }

    private void connect(int index) {
        RaftStoreNode node = cluster.node(index);
        List<EngineQueueClient> nodeClients = new ArrayList<>();
        for (int group = 0; group < 2; group++) {
            nodeClients.add(new EngineQueueClient(node.dataGroup(group), (QueueEngine) node.localEngine(group), waiters, limits,
                    TwoGroupNode.ACCOUNT, () -> TwoGroupNode.BASE_URL, InstantSource.system()));
        }
        clients.put(index, nodeClients);
        QueuePlacement placement = new QueuePlacement(node.catalog(), TwoGroupNode.ACCOUNT, 2, excluded -> 0, () -> null);
        placements.put(index, placement);
        CrossGroupCommands crossGroup = new CrossGroupCommands(new PlacedQueueGroups(placement, nodeClients), nodeClients::get,
                codec, TwoGroupNode.REGION, TwoGroupNode.ACCOUNT);
        migrations.put(index, new QueueMigrations(node.catalog(), new QueueLayoutChanges(nodeClients, crossGroup, placement,
                TwoGroupNode.ACCOUNT, () -> TwoGroupNode.BASE_URL), TwoGroupNode.ACCOUNT, System::currentTimeMillis));
    }

    private void startWorker(int index) {
        RaftStoreNode node = cluster.node(index);
        workers.put(index, new MigrationWorker(migrations.get(index), placements.get(index), clients.get(index), node::isLeader,
                TwoGroupNode.ACCOUNT, TwoGroupNode.REGION, () -> TwoGroupNode.BASE_URL, System::currentTimeMillis, timers));
    }

    private int leaderOf(int group) throws InterruptedException {
        return LeaderKillCluster.leaderOf(cluster, clients.keySet(), group);
    }

    private static <T> T retried(Supplier<CompletableFuture<T>> call) throws Exception {
        return LeaderKillCluster.retried(call);
    }

    private EngineQueueClient client(int node, int group) {
        return clients.get(node).get(group);
    }

    @Test
    void aFifoMigrationResumesAfterTheOldGroupsLeaderDiesMidCopyAndDeliversEveryMessageOnceInOrder() throws Exception {
        String url = TwoGroupNode.url(QUEUE);
        retried(() -> client(0, 0).createQueue(new CreateQueueRequest(QUEUE, Map.of("FifoQueue", "true"), Map.of())));
        Map<String, List<String>> sentByGroup = new LinkedHashMap<>();
        for (int batch = 0; batch < MESSAGES / 10; batch++) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = batch * 10 + i;
                entries.add(new SendMessageBatchRequestEntry("e" + i, "m" + n + BODY_PADDING, null, null, null, "d" + n,
                        "g" + (n % MESSAGE_GROUPS)));
            }
            assertEquals(10, retried(() -> client(0, 0).sendMessageBatch(new SendMessageBatchRequest(url, entries)))
                    .successful().size());
            entries.forEach(entry -> sentByGroup.computeIfAbsent(entry.messageGroupId(), g -> new ArrayList<>())
                    .add(entry.messageBody()));
        }
        // In flight across the move: the first two messages of g0 (the rest of g0 waits for them).
        List<Message> held = retried(() -> client(0, 0).receiveMessage(new ReceiveMessageRequest(url, List.of("All"), null, null,
                2, 300, 0, null))).messages();
        assertEquals(List.of(sentByGroup.get("g0").get(0), sentByGroup.get("g0").get(1)), held.stream().map(Message::body).toList());

        // The old group's leader starts the copy, records one page, imports the next without recording it, and dies.
        int sourceLeader = leaderOf(0);
        Migration started = retried(() -> migrations.get(sourceLeader).start(QUEUE, 1));
        QueueCopyMigration halfWay = new QueueCopyMigration(migrations.get(sourceLeader), placements.get(sourceLeader),
                clients.get(sourceLeader), TwoGroupNode.ACCOUNT, () -> TwoGroupNode.BASE_URL, System::currentTimeMillis, 1);
        retried(() -> halfWay.step(started));
        Migration copying = retried(() -> migrations.get(sourceLeader).status(QUEUE));
        assertEquals(State.COPYING, copying.state());
        assertTrue(copying.position().afterSeq() > 0, "one page recorded: " + copying);
        QueueExport unrecorded = retried(() -> client(sourceLeader, 0).exportQueue(QUEUE, copying.position()));
        assertTrue(!unrecorded.last(), "more than two pages to copy");
        retried(() -> client(sourceLeader, 1).importQueueState(QUEUE, unrecorded));
        cluster.kill(sourceLeader);
        clients.remove(sourceLeader);

        for (int node : clients.keySet()) {
            startWorker(node);
        }
        int survivor = clients.keySet().iterator().next();
        long deadline = System.currentTimeMillis() + 120_000;
        Migration migration = copying;
        while (migration.state() != State.COMPLETED) {
            assertTrue(System.currentTimeMillis() < deadline, "the migration completes: " + migration);
            Thread.sleep(200);
            try {
                migration = migrations.get(survivor).status(QUEUE).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException unconfirmed) {
                // the catalog's leader may have been on the killed node: asked again
            }
        }
        assertEquals(MESSAGES - copying.moved() - unrecorded.messages().size(), migration.moved() - copying.moved(),
                "the replayed page stored nothing twice: " + migration);
        cluster.restart(sourceLeader);
        connect(sourceLeader);

        // The handles taken in the old group delete in the new one; then every group arrives once, in order.
        for (Message message : held) {
            retried(() -> client(survivor, 1).deleteMessage(new DeleteMessageRequest(url, message.receiptHandle())));
        }
        Map<String, List<String>> receivedByGroup = new LinkedHashMap<>();
        receivedByGroup.put("g0", new ArrayList<>(List.of(held.get(0).body(), held.get(1).body())));
        int received = 2;
        deadline = System.currentTimeMillis() + 90_000;
        while (received < MESSAGES && System.currentTimeMillis() < deadline) {
            List<Message> messages;
            try {
                messages = client(survivor, 1).receiveMessage(new ReceiveMessageRequest(url, List.of("All"), null, null, 10, 30, 0,
                        null)).get(60, TimeUnit.SECONDS).messages();
            } catch (ExecutionException unconfirmed) {
                continue;
            }
            for (Message message : messages) {
                String group = message.attributes().get("MessageGroupId");
                assertNotNull(group);
                receivedByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(message.body());
                retried(() -> client(survivor, 1).deleteMessage(new DeleteMessageRequest(url, message.receiptHandle())));
                received++;
            }
        }
        sentByGroup.forEach((group, sent) -> assertEquals(sent, receivedByGroup.get(group),
                "group " + group + ": every message once, in order"));
        assertTrue(client(survivor, 1).receiveMessage(new ReceiveMessageRequest(url, null, null, null, 10, null, 0, null))
                .get(60, TimeUnit.SECONDS).messages().isEmpty(), "no extra copy");
        assertTrue(!retried(() -> client(survivor, 0).exists(QUEUE)), "the old group's queue is gone");
    }
}
