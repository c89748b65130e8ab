package dev.sluice.broker.service;

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
    final QueueGroups groups = new FixedQueueGroups(placement, 2);
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final ReceiveWaiters waiters = new ReceiveWaiters(1_000, timers, timers);
    private final MiniCluster cluster;
    private final List<EngineQueueClient> clients = new ArrayList<>();
    private final List<AutoCloseable> workers = new ArrayList<>();
    private CrossGroupCommands commands;

    TwoGroupNode(Path directory) throws IOException, InterruptedException {
        cluster = MiniCluster.builder().dataGroups(2).baseDirectory(directory)
                .engines(group -> new QueueEngine(codec, REGION, ACCOUNT, limits.engineLimits(), waiters)).start();
        connect();
    }

    private void connect() throws InterruptedException {
        cluster.awaitLeader(Duration.ofSeconds(60));
        RaftStoreNode node = cluster.node(0);
        clients.clear();
        for (int group = 0; group < 2; group++) {
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
        RaftStoreNode node = cluster.node(0);
        for (int group = 0; group < 2; group++) {
            int index = group;
            workers.add(new TransferWorker(group, () -> engine(index), () -> node.isLeader(index), groups, clients::get,
                    System::currentTimeMillis, timers));
            workers.add(new MoveTaskWorker(node.dataGroup(group), () -> engine(index), () -> node.isLeader(index), timers));
        }
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
