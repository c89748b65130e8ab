package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.catalog.CatalogEngine;
import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.statemachine.EngineStateMachine;
import dev.sluice.raftstore.storage.RocksStore;
import dev.sluice.raftstore.testing.CatalogWriter;
import dev.sluice.raftstore.testing.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a SIGKILL leaves on disk bounds the replay of the next start: with RocksDB's WAL off, only flushed state
 * survives, so the store is flushed every {@link EngineStateMachine#FLUSH_EVERY_COMMANDS} commands. Without that, a
 * store that never filled a memtable or reached a snapshot kept nothing, and every restart replayed the whole log.
 */
@Tag("fault")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashReplayBoundIT {
    @TempDir
    Path dir;

    @Test
    void afterASigkillTheStoreOnDiskIsAtMostOneFlushIntervalBehind() throws Exception {
        int writes = 3 * EngineStateMachine.FLUSH_EVERY_COMMANDS;
        // No snapshot in this run: the snapshot's own flush must not be what keeps the state.
        try (ProcessCluster cluster = new ProcessCluster(dir, 1, 1, 10_000_000)) {
            cluster.startAll();
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(10))) {
                CatalogWriter writer = new CatalogWriter(new Catalog(client), "replay", 256);
                writer.awaitAcknowledged(writes, Duration.ofSeconds(120));
                writer.stopAndDrain(256, 30);
            }
            Thread.sleep(1_000); // the last background flush lands
            cluster.kill(0);
        }
        long durable;
        try (RocksStore store = RocksStore.open(dir.resolve("n1").resolve("state").resolve(StoreGroups.CATALOG),
                new CatalogEngine().columnFamilies())) {
            durable = store.applied().index();
        }
        System.out.printf("crash replay bound: %d writes acknowledged, applied index on disk %d%n", writes, durable);
        assertTrue(durable > 0, "nothing applied survived the SIGKILL: the restart would replay the whole log");
    }
}
