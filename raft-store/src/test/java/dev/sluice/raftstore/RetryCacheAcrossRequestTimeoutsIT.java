package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.testing.CatalogEngineWrapper;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 23: the retry cache's expiry was the leader's own request timeout and 5 s, but the node that sends a call again
 * under the same client and call id does so until its own request timeout. A node configured with a longer request
 * timeout than the leader (a rolling change of {@code requestTimeout}, one node tuned differently) keeps resending a
 * call the leader has already forgotten, and the leader appends and applies it a second time (a PurgeQueue applied
 * again purges the messages acknowledged in between). Failed on 6a73ebaf (every replica applied the command twice);
 * passes since every node keeps replies for the longest request timeout any node may have
 * ({@link RaftStoreConfig#MAX_REQUEST_TIMEOUT}) and 5 s, whatever its own.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RetryCacheAcrossRequestTimeoutsIT {
    private static final int SLOW = 97;
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SENDER_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Longer than the leader's retry-cache expiry was (2 s + 5 s), shorter than the sender's request timeout: from 7 s
     * until the first apply ended, a resent call found no entry in the leader's retry cache and was appended again (the
     * sender asks the leader again every one to two attempt timeouts, 1 s each).
     */
    private static final long SLOW_APPLY_MILLIS = 14_000;

    @TempDir
    Path dir;

    /** Counts command SLOW; its first apply on each replica takes SLOW_APPLY_MILLIS (a slow disk, a long pause). */
    static final class SlowOnceEngine extends CatalogEngineWrapper {
        final AtomicInteger applied = new AtomicInteger();

        @Override
        public byte[] apply(int commandType, ByteBuffer payload, ApplyContext context) {
            if (commandType != SLOW) {
                return super.apply(commandType, payload, context);
            }
            if (applied.incrementAndGet() == 1) {
                try {
                    Thread.sleep(SLOW_APPLY_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new byte[0];
        }
    }

    @Test
    void aCallResentByANodeWithALongerRequestTimeoutIsAppliedOnce() throws Exception {
        List<SlowOnceEngine> engines = new CopyOnWriteArrayList<>();
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).started(0).baseDirectory(dir)
                .requestTimeout(LEADER_TIMEOUT).engines(index -> {
                    SlowOnceEngine engine = new SlowOnceEngine();
                    engines.add(engine);
                    return engine;
                }).start()) {
            // Nodes n1 and n2 as configured; n3 (the sender) with a longer request timeout. No balancing: the test
            // needs data-0 led by a node with the short timeout.
            for (int i = 0; i < 3; i++) {
                final int node = i;
                cluster.reconfigure(node, config -> config.withBalanceLeaders(false)
                        .withRequestTimeout(node == 2 ? SENDER_TIMEOUT : LEADER_TIMEOUT));
                cluster.restart(node);
            }
            cluster.awaitLeader(Duration.ofSeconds(60));
            RaftStoreNode sender = cluster.node(2);
            if (sender.isLeader(0)) {
                sender.dataGroup(0).transferLeadership("n1", Duration.ofSeconds(20));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((sender.isLeader(0) || !(cluster.node(0).isLeader(0) || cluster.node(1).isLeader(0))
                    || sender.appliedIndex(0) < 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(cluster.node(0).isLeader(0) || cluster.node(1).isLeader(0), "data-0 led by a 2 s node");

            sender.dataGroup(0).submit(CommandFrame.writer(SLOW).toByteArray()).get(60, TimeUnit.SECONDS);
            Thread.sleep(3000); // any second copy is applied right after the first
            assertEquals(3, engines.size(), "one engine per replica");
            assertEquals(List.of(1, 1, 1), engines.stream().map(engine -> engine.applied.get()).toList(),
                    "times each replica applied the command");
        }
    }
}
