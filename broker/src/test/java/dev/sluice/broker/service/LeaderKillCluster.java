package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** What the leader-kill tests share: three nodes with two data groups of queue engines, and their waits. */
final class LeaderKillCluster {
    private LeaderKillCluster() {
    }

    static MiniCluster start(Path directory, SqsLimits limits, ReceiveWaiters waiters) throws Exception {
        QueueAttributeCodec codec = new QueueAttributeCodec(limits.queueAttributeBounds());
        MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(2).baseDirectory(directory)
                .engines(group -> new QueueEngine(codec, TwoGroupNode.REGION, TwoGroupNode.ACCOUNT, limits.engineLimits(), waiters))
                .start();
        cluster.awaitLeader(Duration.ofSeconds(90));
        return cluster;
    }

    /** The node among {@code alive} that leads data group {@code group}, waited for up to 60 s. */
    static int leaderOf(MiniCluster cluster, Set<Integer> alive, int group) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            for (int node : alive) {
                if (cluster.node(node).isLeader(group)) {
                    return node;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no leader of data-" + group);
    }

    /** Repeats a call whose outcome the group could not confirm (a leader change), for up to 30 s. */
    static <T> T retried(Supplier<CompletableFuture<T>> call) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                return call.get().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException unconfirmed) {
                assertTrue(System.currentTimeMillis() < deadline, "confirmed in time: " + unconfirmed);
                Thread.sleep(50);
            }
        }
    }
}
