package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.util.LifeCycle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller whose thread carries an interrupt (an in-process Java function cancelled on its timeout, a pool
 * shut down with shutdownNow) must not take this node's Raft group down with it. Were a write entered into the local
 * division on the calling thread, Ratis's log-worker hand-off (SegmentedRaftLogWorker#addIOTask) would run on the
 * caller: when its queue is full it waits interruptibly, and on an InterruptedException it closes the whole division.
 * So a write enters the division directly only on GroupClient's replies thread, which no caller can interrupt, and
 * goes through Ratis's client executor from any other thread, where the caller only waits in join()
 * (LocalDivisionSubmit). The replies thread also runs callers' continuations, which may leave its interrupt flag set:
 * that flag must not reach the append either. The queue is made small here so that it is full often; under load the
 * default 4096-entry / 64 MB queue fills too. Load-like (four writers, 13-23 s each): cluster tag, out of the default
 * run.
 */
@Tag("cluster")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InterruptedLocalCallerIT {
    @TempDir
    Path dir;

    @Test
    void anInterruptedCallerDoesNotCloseTheLocalRaftGroup() throws Exception {
        underLoadOnAFullLogQueue((node, catalog) -> {
            for (int i = 0; i < 500 && running(node); i++) {
                Thread.currentThread().interrupt();
                CompletableFuture<Boolean> put = catalog.put("topics", "interrupted-" + i, new byte[64]);
                Thread.interrupted();
                awaitQuietly(put);
            }
        });
    }

    /**
     * A continuation that restores an interrupt (the usual catch of InterruptedException) runs on the replies thread
     * when a write completes there, just before that thread sends the next entry into the division.
     */
    @Test
    void aContinuationThatInterruptsTheRepliesThreadDoesNotCloseTheLocalRaftGroup() throws Exception {
        underLoadOnAFullLogQueue((node, catalog) -> {
            for (int i = 0; i < 500 && running(node); i++) {
                awaitQuietly(catalog.put("topics", "interrupting-" + i, new byte[64])
                        .thenRun(() -> Thread.currentThread().interrupt()));
                Thread.interrupted(); // when the put had completed before thenRun, it ran here
            }
        });
    }

    /** Runs {@code callers} on the leading node while four other writers keep its one-entry log queue full. */
    private void underLoadOnAFullLogQueue(Callers callers) throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir)
                .raftProperties(Map.of("raft.server.log.queue.element-limit", "1")).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            Catalog catalog = node.catalog();
            catalog.put("topics", "warm-up", new byte[1]).get(30, TimeUnit.SECONDS);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                Thread thread = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        awaitQuietly(catalog.put("topics", "w" + writer + "-" + i, new byte[64]));
                    }
                });
                thread.start();
                writers.add(thread);
            }
            try {
                callers.write(node, catalog);
            } finally {
                stop.set(true);
                for (Thread thread : writers) {
                    thread.join(30_000);
                }
            }
            assertEquals(LifeCycle.State.RUNNING, lifeCycle(node),
                    "the catalog's Raft division on this node after interrupted callers wrote to it");
            assertTrue(catalog.put("topics", "after", new byte[1]).get(30, TimeUnit.SECONDS) != null);
        }
    }

    private interface Callers {
        void write(RaftStoreNode node, Catalog catalog) throws Exception;
    }

    private static void awaitQuietly(CompletableFuture<?> write) {
        try {
            write.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the outcome is checked on the group itself
        }
    }

    private static boolean running(RaftStoreNode node) throws Exception {
        return lifeCycle(node) == LifeCycle.State.RUNNING;
    }

    private static LifeCycle.State lifeCycle(RaftStoreNode node) throws Exception {
        return node.raftServer().getDivision(StoreGroups.groupId(StoreGroups.CATALOG)).getInfo().getLifeCycleState();
    }
}
