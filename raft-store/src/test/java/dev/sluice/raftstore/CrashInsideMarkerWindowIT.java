package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.testing.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 21, the end-to-end case of ServedBeforeProvedIT: ReplicaAfterCrashIT without its second of quiet before the
 * crash. A lone write is acknowledged; every node is SIGKILLed at once (RocksDB's WAL is off, so each store falls back
 * to its last flush, as after a power loss); n1 restarts alone (no quorum, no leader) and must serve the write. Its
 * log proves the write once the catalog leader's marker, appended at once after the write (CommitMarkers.decisionDelay),
 * reached it, as a commit-index entry did below feature level 5. It failed 3 of 3 when the marker came 20 ms later and a
 * heartbeat on every commit let replicas apply the write before that. The replica is not read before the kill: an
 * outside replica read took 4 s here, past the window.
 */
@Tag("cluster")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashInsideMarkerWindowIT {
    @TempDir
    Path dir;

    @Test
    void aLoneRestartedReplicaServesALoneWriteAcknowledgedJustBeforeEveryNodeCrashed() throws Exception {
        try (ProcessCluster cluster = new ProcessCluster(dir, 3, 1, 10_000_000)) {
            cluster.startAll();
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(20))) {
                Catalog catalog = new Catalog(client);
                catalog.put("topics", "warm-up", new byte[1]).get(30, TimeUnit.SECONDS);
                Thread.sleep(1_000); // quiet: the warm-up's marker is in every log
                catalog.put("topics", "lone", new byte[1]).get(30, TimeUnit.SECONDS); // acknowledged
                long acknowledged = System.nanoTime();
                for (int i = 0; i < 3; i++) {
                    cluster.kill(i); // at once: the client closes after
                    System.out.printf("review21: node %d killed %.1f ms after the acknowledgement%n", i,
                            (System.nanoTime() - acknowledged) / 1e6);
                }
            }
            cluster.launch(0);
            cluster.awaitReady(0, Duration.ofSeconds(60));
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(5))) {
                Catalog catalog = new Catalog(client);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                boolean served = false;
                while (!served && System.nanoTime() < deadline) {
                    try {
                        served = catalog.getReplica("n1", "topics", "lone").get(5, TimeUnit.SECONDS).isPresent();
                    } catch (Exception notYet) {
                        // still starting
                    }
                    Thread.sleep(100);
                }
                assertTrue(served, "an acknowledged write (applied on every replica within a round trip,"
                        + " ServedBeforeProvedIT) is not served by n1's lone restart after every node crashed"
                        + " (no leader: 2 of 3 down)");
            }
        }
    }
}
