package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.testing.CatalogCounts;
import dev.sluice.raftstore.testing.CatalogWriter;
import dev.sluice.raftstore.testing.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries without state-machine data move the applied position in memory only (RocksStore.skipTo): a SIGKILL of every
 * node while the group idles behind such entries (and snapshots, taken often here, are named after them) loses those
 * positions, and the restart must replay to the same state on every replica, with every acknowledged write, twice over.
 */
@Tag("cluster")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashAfterEntriesWithoutDataIT {
    private static final String NAMESPACE = "idle-crash";

    @TempDir
    Path dir;

    @Test
    void aClusterKilledWhileIdleBehindEntriesWithoutDataRestartsWithEveryAcknowledgedWriteOnEveryReplica() throws Exception {
        try (ProcessCluster cluster = new ProcessCluster(dir, 3, 1, 100)) {
            cluster.startAll();
            Set<String> acknowledged = new HashSet<>();
            for (int round = 0; round < 2; round++) {
                int thisRound = round;
                try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(20))) {
                    CatalogWriter writer = new CatalogWriter(new Catalog(client), NAMESPACE + "-" + round, 16);
                    writer.awaitAcknowledged(250, Duration.ofSeconds(90));
                    writer.stopAndDrain(16, 30);
                    writer.acknowledged().forEach(key -> acknowledged.add(NAMESPACE + "-" + thisRound + "/" + key));
                }
                Thread.sleep(2_000); // idle: only entries without data (commit index) are applied now
                for (int node = 0; node < 3; node++) {
                    cluster.kill(node);
                }
                for (int node = 0; node < 3; node++) {
                    cluster.launch(node);
                }
                for (int node = 0; node < 3; node++) {
                    cluster.awaitReady(node, Duration.ofSeconds(90));
                }
                assertEveryReplicaHolds(cluster, acknowledged, round);
            }
        }
    }

    private static void assertEveryReplicaHolds(ProcessCluster cluster, Set<String> acknowledged, int round) throws Exception {
        try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(30))) {
            Catalog catalog = new Catalog(client);
            Set<String> found = new HashSet<>();
            for (int r = 0; r <= round; r++) {
                for (String key : CatalogCounts.keys(catalog, NAMESPACE + "-" + r, null)) {
                    found.add(NAMESPACE + "-" + r + "/" + key);
                }
            }
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(found);
            assertTrue(acknowledged.size() >= 250 * (round + 1), "progress: " + acknowledged.size());
            assertTrue(lost.isEmpty(), "lost acknowledged writes after the restart: " + lost + cluster.logTails());
            CatalogWriter barrier = new CatalogWriter(catalog, "barrier-" + round, 1);
            barrier.awaitAcknowledged(1, Duration.ofSeconds(60));
            barrier.stopAndDrain(1, 30);
            for (var peer : cluster.peers()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (CatalogCounts.keys(catalog, "barrier-" + round, peer.id()).isEmpty()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                Set<String> replica = new HashSet<>();
                for (int r = 0; r <= round; r++) {
                    for (String key : CatalogCounts.keys(catalog, NAMESPACE + "-" + r, peer.id())) {
                        replica.add(NAMESPACE + "-" + r + "/" + key);
                    }
                }
                assertEquals(found, replica, "replica " + peer.id() + " after the restart");
            }
        }
    }
}
