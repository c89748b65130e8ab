package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.core.QueueAttributeCodec;
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
 * Three nodes, two data groups: a FIFO queue in group 0 whose dead-letter queue is in group 1. With
 * the dead letters waiting in group 0's outbox, the leaders of both groups are killed while the
 * transfer workers deliver them: every dead letter arrives, none twice (the transfer ids are
 * remembered across the destination's leader change), and each message group keeps its order.
 */
@Tag("fault")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrossGroupLeaderKillIT {
    private static final String WORK = "work.fifo";
    private static final String DEAD = "dead.fifo";
    private static final int MESSAGES = 240;

    @TempDir
    Path dir;
    private final SqsLimits limits = SqsLimits.defaults();
    private final QueueAttributeCodec codec = new QueueAttributeCodec(limits.queueAttributeBounds());
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final ReceiveWaiters waiters = new ReceiveWaiters(1_000, timers, timers);
    private final Map<String, Integer> placement = Map.of(WORK, 0, DEAD, 1);
    private final QueueGroups groups = new FixedQueueGroups(placement, 2);
    private MiniCluster cluster;
    /** Per node: its clients of both groups and its workers (null while the node is down). */
    private final Map<Integer, List<EngineQueueClient>> clients = new HashMap<>();
    private final Map<Integer, List<AutoCloseable>> workers = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        cluster = LeaderKillCluster.start(dir, limits, waiters);
        for (int node = 0; node < 3; node++) {
            connect(node);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (int node = 0; node < 3; node++) {
            stopWorkers(node);
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
    }

    private void startWorkers(int index) {
        RaftStoreNode node = cluster.node(index);
        List<AutoCloseable> started = new ArrayList<>();
        for (int group = 0; group < 2; group++) {
            int g = group;
            started.add(new TransferWorker(group, () -> (QueueEngine) node.localEngine(g), () -> node.isLeader(g), groups,
                    clients.get(index)::get, "000000000000", System::currentTimeMillis, timers));
        }
        workers.put(index, started);
    }

    private void stopWorkers(int index) throws Exception {
        List<AutoCloseable> running = workers.remove(index);
        if (running != null) {
            for (AutoCloseable worker : running) {
                worker.close();
            }
        }
    }

    private int leaderOf(int group) throws InterruptedException {
        return LeaderKillCluster.leaderOf(cluster, clients.keySet(), group);
    }

    private void kill(int index) throws Exception {
        stopWorkers(index);
        clients.remove(index);
        cluster.kill(index);
    }

    private void restart(int index) throws Exception {
        cluster.restart(index);
        connect(index);
        startWorkers(index);
    }

    private int pending() throws InterruptedException {
        int leader = leaderOf(0);
        return ((QueueEngine) cluster.node(leader).localEngine(0)).read(book -> book.transfers().size());
    }

    private EngineQueueClient client(int group) {
        return clients.values().iterator().next().get(group);
    }

    private void deleteConfirmed(Message message) throws Exception {
        retried(() -> client(1).deleteMessage(new DeleteMessageRequest(TwoGroupNode.url(DEAD), message.receiptHandle())));
    }

    private static <T> T retried(Supplier<CompletableFuture<T>> call) throws Exception {
        return LeaderKillCluster.retried(call);
    }

    @Test
    void deadLettersInFlightBetweenGroupsSurviveKillingBothGroupsLeadersOnceEachAndInOrder() throws Exception {
        retried(() -> client(1).createQueue(new CreateQueueRequest(DEAD, Map.of("FifoQueue", "true"), Map.of())));
        CrossGroupCommands commands = new CrossGroupCommands(groups, clients.get(0)::get, codec, TwoGroupNode.REGION,
                TwoGroupNode.ACCOUNT);
        retried(() -> commands.createQueue(0, new CreateQueueRequest(WORK, Map.of("FifoQueue", "true", "VisibilityTimeout", "0",
                "RedrivePolicy", "{\"deadLetterTargetArn\":\"" + TwoGroupNode.arn(DEAD) + "\",\"maxReceiveCount\":\"1\"}"),
                Map.of())));
        Map<String, List<String>> sentByGroup = new LinkedHashMap<>();
        for (int batch = 0; batch < MESSAGES / 10; batch++) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = batch * 10 + i;
                entries.add(new SendMessageBatchRequestEntry("e" + i, "m" + n, null, null, null, "d" + n, "g" + (n % 4)));
            }
            // Retried as an SDK would (leadership moves while the cluster balances it): FIFO deduplication keeps it once.
            assertEquals(10, retried(() -> client(0).sendMessageBatch(new SendMessageBatchRequest(TwoGroupNode.url(WORK),
                    entries))).successful().size());
            for (SendMessageBatchRequestEntry entry : entries) {
                sentByGroup.computeIfAbsent(entry.messageGroupId(), g -> new ArrayList<>()).add(entry.messageBody());
            }
        }
        // Receive each once (visibility 0), then the next receives dead-letter them into group 0's outbox.
        long deadline = System.currentTimeMillis() + 60_000;
        while (pending() < MESSAGES) {
            assertTrue(System.currentTimeMillis() < deadline, "dead-lettered in time: " + pending());
            retried(() -> client(0).receiveMessage(new ReceiveMessageRequest(TwoGroupNode.url(WORK), null, null, null, 10,
                    null, 0, null)));
        }

        for (int node = 0; node < 3; node++) {
            startWorkers(node);
        }
        Thread.sleep(150);
        int sourceLeader = leaderOf(0);
        kill(sourceLeader);
        int destinationLeader = leaderOf(1);
        Thread.sleep(100);
        kill(destinationLeader);
        restart(sourceLeader);
        if (destinationLeader != sourceLeader) {
            restart(destinationLeader);
        }

        deadline = System.currentTimeMillis() + 120_000;
        while (pending() > 0) {
            assertTrue(System.currentTimeMillis() < deadline, "the outbox drains: " + pending() + " left");
            Thread.sleep(50);
        }
        Map<String, List<String>> deadByGroup = new LinkedHashMap<>();
        int received = 0;
        deadline = System.currentTimeMillis() + 90_000;
        while (received < MESSAGES && System.currentTimeMillis() < deadline) {
            // As a consumer with retries would: a receive whose outcome is unknown hides its messages for 5 s at most
            // (a FIFO group stays locked meanwhile, so its order holds), a delete is repeated until confirmed.
            List<Message> messages;
            try {
                messages = client(1).receiveMessage(new ReceiveMessageRequest(TwoGroupNode.url(DEAD), null, null, null, 10, 5, 0,
                        null)).get(60, TimeUnit.SECONDS).messages();
            } catch (ExecutionException unconfirmed) {
                continue;
            }
            for (Message message : messages) {
                deadByGroup.computeIfAbsent(message.attributes().get("MessageGroupId"), g -> new ArrayList<>()).add(message.body());
                deleteConfirmed(message);
                received++;
            }
        }
        assertEquals(sentByGroup.keySet(), deadByGroup.keySet());
        sentByGroup.forEach((group, sent) -> assertEquals(sent, deadByGroup.get(group), "group " + group + ": every message once, in order"));
        assertTrue(client(1).receiveMessage(new ReceiveMessageRequest(TwoGroupNode.url(DEAD), null, null, null, 10, null, 0, null))
                .get(60, TimeUnit.SECONDS).messages().isEmpty(), "no extra copy");
    }
}
