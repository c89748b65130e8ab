package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.testing.CatalogEngineWrapper;
import dev.sluice.raftstore.testing.MiniCluster;
import dev.sluice.raftstore.spi.StoreReader;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group whose engine rebuilds its in-memory state on a thread of its own (a queue group's index) starts without
 * waiting for it, and its node is not ready until the rebuild has ended: a request would otherwise wait for it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RebuildingReplicaIT {
    @TempDir
    Path dir;

    /** A catalog engine whose rebuild ends when the test says. */
    static final class SlowRebuild extends CatalogEngineWrapper {
        private final CompletableFuture<Void> rebuilt;

        SlowRebuild(CompletableFuture<Void> rebuilt) {
            this.rebuilt = rebuilt;
        }

        @Override
        public CompletableFuture<Void> recover(StoreReader reader) {
            return rebuilt;
        }
    }

    @Test
    void aNodeIsNotReadyWhileAGroupRebuildsAndIsOnceItHas() throws Exception {
        CompletableFuture<Void> rebuilt = new CompletableFuture<>();
        try (MiniCluster cluster = MiniCluster.builder().engines(index -> new SlowRebuild(rebuilt)).baseDirectory(dir)
                .start()) {
            RaftStoreNode node = cluster.node(0);
            // Leaders elected, features published: the rebuild is the one thing data-0 still waits for, for as long as
            // it takes (here until the test ends it).
            String rebuilding = "rebuilding its in-memory state from the store";
            long leaderDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!rebuilding.equals(node.health().problems().get("data-0")) && System.nanoTime() < leaderDeadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
            StoreHealth health = node.health();
            assertFalse(health.ready(), health.toString());
            assertEquals(rebuilding, health.problems().get("data-0"), health.toString());
            assertFalse(node.rebuilt().isDone());

            rebuilt.complete(null);
            node.rebuilt().get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!node.health().ready() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(node.health().ready(), node.health().toString());
        }
    }
}
