package dev.sluice.broker.service;

import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.raftstore.RaftStoreNode;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Another node's router over a running server's data groups: its own {@link QueuePlacement} whose cache never
 * expires (its clock stands still), so a placement it read once stays stale until a group's answer makes it read
 * again. What a node that cached a placement just before an operator changed it does, held for as long as the test
 * needs instead of the cache's 5 seconds.
 */
final class StaleNode implements AutoCloseable {
    static final String ACCOUNT = "000000000000";
    static final String REGION = "us-east-1";

    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
    private final RaftStoreNode node;
    private final List<EngineQueueClient> groups = new ArrayList<>();
    final QueuePlacement placement;
    final RoutedQueueClient router;
    private final String baseUrl;

    StaleNode(SluiceServer server) {
        node = server.node();
        baseUrl = "http://127.0.0.1:" + server.httpPort();
        SqsLimits limits = SqsLimits.defaults();
        ReceiveWaiters waiters = new ReceiveWaiters(100, timers, timers);
        for (int group = 0; group < node.dataGroupCount(); group++) {
            groups.add(new EngineQueueClient(node.dataGroup(group), engine(group), waiters, limits, ACCOUNT, () -> baseUrl,
                    InstantSource.system()));
        }
        placement = new QueuePlacement(node.catalog(), ACCOUNT, node.dataGroupCount(), excluded -> 0, () -> 0L, () -> null);
        router = new RoutedQueueClient(groups, placement, new QueueAttributeCodec(limits.queueAttributeBounds()), REGION,
                ACCOUNT, waiters, timers);
    }

    EngineQueueClient group(int group) {
        return groups.get(group);
    }

    long appliedIndex(int group) {
        return node.appliedIndex(group);
    }

    QueueEngine engine(int group) {
        return (QueueEngine) node.localEngine(group);
    }

    /** This node's cached placement of the queue (read once if it has none yet). */
    Placement cached(String name) {
        return placement.placementOf(name).join();
    }

    /** How many messages (visible, in flight, delayed) this server's replica of {@code group} holds for the queue. */
    long messagesIn(int group, String name) {
        return engine(group).read(book -> book.exists(name) ? book.attributes(name, List.of("All"), System.currentTimeMillis())
                : Map.<String, String>of()).entrySet().stream()
                .filter(attribute -> attribute.getKey().startsWith("ApproximateNumberOfMessages"))
                .mapToLong(attribute -> Long.parseLong(attribute.getValue())).sum();
    }

    String urlOf(String name) {
        return new QueueUrl(ACCOUNT, name).toUrl(baseUrl);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
