package dev.sluice.broker.service;

import dev.sluice.clientsdk.model.DeleteMessageRequest;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.testing.MiniCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A real node (Ratis, RocksDB) with two data groups, an {@link EngineQueueClient} per group, a
 * fixed placement the test fills ({@link #placement}), the cross-group commands, and a transfer and
 * a move-task worker per group once {@link #startWorkers} was called. {@link #restart} stops and starts the node on
 * its files, as a crash and recovery do.
 */
final class TwoGroupNode implements AutoCloseable {
    static final String REGION = "us-east-1";
    static final String ACCOUNT = "000000000000";
    static final String BASE_URL = "http://localhost:9324";

    final SqsLimits limits = SqsLimits.defaults();
    final QueueAttributeCodec codec = new QueueAttributeCodec(limits.queueAttributeBounds());
    final Map<String, Integer> placement = new ConcurrentHashMap<>();
    final QueueGroups groups;
    private final int groupCount;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final ReceiveWaiters waiters = new ReceiveWaiters(1_000, timers, timers);
    private final MiniCluster cluster;
    private final List<EngineQueueClient> clients = new ArrayList<>();
    private final List<AutoCloseable> workers = new ArrayList<>();
    private CrossGroupCommands commands;

    TwoGroupNode(Path directory) throws IOException, InterruptedException {
        this(directory, 2);
    }

    /** A node with {@code groupCount} data groups (two unless a test needs a third to move a queue to). */
    TwoGroupNode(Path directory, int groupCount) throws IOException, InterruptedException {
        this.groupCount = groupCount;
        this.groups = new FixedQueueGroups(placement, groupCount);
        cluster = MiniCluster.builder().dataGroups(groupCount).baseDirectory(directory)
                .engines(group -> new QueueEngine(codec, REGION, ACCOUNT, limits.engineLimits(), waiters)).start();
        connect();
    }

    private void connect() throws InterruptedException {
        cluster.awaitLeader(Duration.ofSeconds(60));
        RaftStoreNode node = cluster.node(0);
        clients.clear();
        for (int group = 0; group < groupCount; group++) {
            clients.add(new EngineQueueClient(node.dataGroup(group), engine(group), waiters, limits, ACCOUNT, () -> BASE_URL,
                    InstantSource.system()));
        }
        commands = new CrossGroupCommands(groups, clients::get, codec, REGION, ACCOUNT);
    }

    EngineQueueClient client(int group) {
        return clients.get(group);
    }

    CrossGroupCommands commands() {
        return commands;
    }

    QueueEngine engine(int group) {
        return (QueueEngine) cluster.node(0).localEngine(group);
    }

    int pendingTransfers(int group) {
        return engine(group).read(book -> book.transfers().size());
    }

    void startWorkers() {
        for (int group = 0; group < groupCount; group++) {
            startTransferWorker(group, groups);
            startMoveTaskWorker(group);
        }
    }

    /** Only {@code group}'s move-task worker (which steps the group's move tasks into its outbox). */
    void startMoveTaskWorker(int group) {
        RaftStoreNode node = cluster.node(0);
        workers.add(new MoveTaskWorker(node.dataGroup(group), () -> engine(group), () -> node.isLeader(group), timers));
    }

    /** Only {@code group}'s transfer worker, finding destinations through {@code lookups}. */
    void startTransferWorker(int group, QueueGroups lookups) {
        startTransferWorker(group, lookups, TransferWorker.ROUND_BOUND);
    }

    /** Only {@code group}'s transfer worker, finding destinations through {@code lookups}, each round bounded by {@code bound}. */
    void startTransferWorker(int group, QueueGroups lookups, Duration bound) {
        startTransferWorker(group, lookups, bound, () -> engine(group));
    }

    /** Only {@code group}'s transfer worker, reading the outbox from {@code replica}. */
    void startTransferWorker(int group, QueueGroups lookups, Duration bound, java.util.function.Supplier<QueueEngine> replica) {
        RaftStoreNode node = cluster.node(0);
        workers.add(new TransferWorker(group, replica, () -> node.isLeader(group), lookups, clients::get,
                "000000000000", System::currentTimeMillis, timers, bound));
    }

    void stopWorkers() {
        for (AutoCloseable worker : workers) {
            try {
                worker.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        workers.clear();
    }

    void restart() throws IOException, InterruptedException {
        stopWorkers();
        cluster.restart(0);
        connect();
    }

    /** How long the helpers below wait for what they wait on. */
    static final long WAIT_MILLIS = 30_000;

    List<Message> receive(int group, String queue, int max) throws Exception {
        return client(group).receiveMessage(new ReceiveMessageRequest(url(queue), null, null, null, max, null, 0, null))
                .get(30, TimeUnit.SECONDS).messages();
    }

    /** Receives from group 0 (visibility 0) until every message was received once and dead-lettered by the next receive. */
    void receiveUntilDeadLettered(String queue, int count) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        int firstReceives = 0;
        while (System.currentTimeMillis() < deadline) {
            List<Message> messages = receive(0, queue, 10);
            firstReceives += (int) messages.stream().filter(m -> "1".equals(m.attributes().get("ApproximateReceiveCount"))).count();
            if (messages.isEmpty() && firstReceives >= count) {
                return;
            }
        }
        throw new AssertionError("not dead-lettered in time");
    }

    /** Receives and deletes from {@code queue} until {@code count} messages arrived, in arrival order. */
    List<Message> drain(int group, String queue, int count) throws Exception {
        List<Message> drained = new ArrayList<>();
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (drained.size() < count && System.currentTimeMillis() < deadline) {
            for (Message message : receive(group, queue, 10)) {
                drained.add(message);
                client(group).deleteMessage(new DeleteMessageRequest(url(queue), message.receiptHandle())).get(30, TimeUnit.SECONDS);
            }
        }
        return drained;
    }

    int visible(int group, String queue) throws Exception {
        return Integer.parseInt(client(group).getQueueAttributes(new GetQueueAttributesRequest(url(queue),
                List.of("ApproximateNumberOfMessages"))).get(30, TimeUnit.SECONDS).attributes().get("ApproximateNumberOfMessages"));
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static Set<String> ids(List<Message> messages) {
        Set<String> ids = new TreeSet<>();
        messages.forEach(message -> ids.add(message.messageId()));
        return ids;
    }

    static String arn(String name) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
    }

    static String url(String name) {
        return BASE_URL + "/" + ACCOUNT + "/" + name;
    }

    @Override
    public void close() throws IOException {
        stopWorkers();
        cluster.close();
        timers.shutdownNow();
    }
}
