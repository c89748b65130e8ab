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
 * What a node's replica serves after a SIGKILL, before its group has a leader again: at least what it served before
 * the crash. RocksDB's WAL is off, so the store on disk is the last flush (up to 2,000 commands behind); Ratis
 * re-applies the log after it up to the commit index it knows at start, which its commit-index (log-metadata) entries
 * give it. Without them (tried in session 16) that was the last snapshot's index, and a lone restarted node (no quorum)
 * served the last flush indefinitely: replica reads serve routing (QueuePlacement), the key directory (a deleted key
 * authenticated again) and the layout (ReplicaWorker, MembershipController).
 */
@Tag("cluster")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReplicaAfterCrashIT {
    private static final int WRITES = 20;

    @TempDir
    Path dir;

    @Test
    void aLoneRestartedNodesReplicaHoldsWhatItServedBeforeTheCrash() throws Exception {
        assertTrue(replicaHoldsLastWriteAfterCrash(),
                "n1's replica served key-" + (WRITES - 1) + " before the SIGKILL, and not after it (no leader: 2 of 3 down)");
    }

    private boolean replicaHoldsLastWriteAfterCrash() throws Exception {
        String last = "key-" + (WRITES - 1);
        try (ProcessCluster cluster = new ProcessCluster(dir, 3, 1, 10_000_000)) {
            cluster.startAll();
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(20))) {
                Catalog catalog = new Catalog(client);
                for (int i = 0; i < WRITES; i++) {
                    catalog.put("topics", "key-" + i, new byte[1]).get(30, TimeUnit.SECONDS); // acknowledged
                }
                assertTrue(replicaHolds(catalog, last, Duration.ofSeconds(10)), "n1's replica before the crash");
            }
            Thread.sleep(1_000);
            for (int i = 0; i < 3; i++) {
                cluster.kill(i);
            }
            cluster.launch(0);
            cluster.awaitReady(0, Duration.ofSeconds(60));
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(5))) {
                return replicaHolds(new Catalog(client), last, Duration.ofSeconds(10));
            }
        }
    }

    private static boolean replicaHolds(Catalog catalog, String key, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            try {
                if (catalog.getReplica("n1", "topics", key).get(5, TimeUnit.SECONDS).isPresent()) {
                    return true;
                }
            } catch (Exception notYet) {
                // the node is starting
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return false;
    }
}
