package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.statemachine.EngineStateMachine;
import dev.sluice.raftstore.testing.ProcessCluster;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node's replica serves after a SIGKILL, before its group has a leader again: at least what it served before
 * the crash, and after a power loss too. RocksDB's WAL is off, so the store on disk is the last flush (up to 2,000
 * commands behind); Ratis re-applies the log after it up to the commit index it knows at start. Ratis's commit-index
 * (log-metadata) entries gave it that index; they are off, and the highest commit index the leaders stamped into the
 * node's own log (every client entry, and a marker when the group goes idle) gives it instead (CommitIndexAtStart).
 * With neither (sessions 16 and 19) a lone restarted node (no quorum) served older state than before the crash,
 * indefinitely: replica reads serve routing (QueuePlacement), the key directory (a deleted key authenticated again)
 * and the layout (ReplicaWorker, MembershipController).
 *
 * <p>A power loss is a SIGKILL that also loses what nothing synced. The Raft log is fsynced before every
 * acknowledgement, so it keeps every entry; RocksDB's WAL (on, never synced, in session 19's attempt; off here, where
 * emptying its files changes nothing) may lose batches, and the store falls back to its last flush.
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

    @Test
    void aLoneRestartedNodesReplicaHoldsWhatItServedBeforeAPowerLoss() throws Exception {
        assertTrue(replicaHoldsLastWriteAfter(WRITES, true), "n1's replica served key-" + (WRITES - 1)
                + " before the power loss, and not after it (its Raft log holds it; no leader: 2 of 3 down)");
    }

    /**
     * The key directory's case: a key deleted (an access key revoked) before a power loss, after the store's last
     * flush, must not be served again by a lone restarted replica.
     */
    @Test
    void aKeyDeletedBeforeAPowerLossStaysDeletedOnALoneRestartedNodesReplica() throws Exception {
        assertKeyDeletedBeforeAPowerLossStaysDeleted(FeatureLevel.CURRENT);
    }

    /**
     * A cluster below level 5 (a rolling upgrade not yet complete) stamps nothing; Ratis's commit-index entries, on
     * there, give a lone restarted replica its commit index instead.
     */
    @Test
    void belowLevelFiveAKeyDeletedBeforeAPowerLossStaysDeletedThanksToCommitIndexEntries() throws Exception {
        assertKeyDeletedBeforeAPowerLossStaysDeleted(FeatureLevel.FANOUT_IN_ONE_APPLY);
    }

    private void assertKeyDeletedBeforeAPowerLossStaysDeleted(int featureLevel) throws Exception {
        try (ProcessCluster cluster = new ProcessCluster(dir, 3, 1, 10_000_000).featureLevel(featureLevel)) {
            cluster.startAll();
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(20))) {
                Catalog catalog = new Catalog(client);
                catalog.put("topics", "revoked", new byte[1]).get(30, TimeUnit.SECONDS);
                // More than a flush interval's bytes after it: a background flush puts the key in an SST file.
                byte[] filler = new byte[(int) (EngineStateMachine.FLUSH_EVERY_BYTES / 4)];
                for (int i = 0; i < 5; i++) {
                    catalog.put("filler", "f" + i, filler).get(30, TimeUnit.SECONDS);
                }
                Thread.sleep(1_000); // the background flush lands
                catalog.delete("topics", "revoked").get(30, TimeUnit.SECONDS); // acknowledged: in a quorum's Raft log
                assertEquals("absent", replicaAnswer(catalog, "revoked", "absent", Duration.ofSeconds(10)),
                        "n1's replica before the power loss");
            }
            crashAllAndRestartFirstAlone(cluster, true);
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(5))) {
                assertEquals("absent", replicaAnswer(new Catalog(client), "revoked", "absent", Duration.ofSeconds(20)),
                        "n1's replica after the power loss, of a key deleted before it (no leader: 2 of 3 down)");
            }
        }
    }

    /**
     * The commit marker's case: the only write since the start is covered by no later client entry's stamp, so only
     * the marker the leader appends when the group goes idle lets a lone restarted replica re-apply it.
     */
    @Test
    void aLoneWriteBeforeAPowerLossIsServedByALoneRestartedNode() throws Exception {
        assertTrue(replicaHoldsLastWriteAfter(1, true), "n1's replica served key-0, the one write, before the power"
                + " loss, and not after it (its Raft log holds it; no leader: 2 of 3 down)");
    }

    private boolean replicaHoldsLastWriteAfterCrash() throws Exception {
        return replicaHoldsLastWriteAfter(WRITES, false);
    }

    /** @param powerLoss whether n1 also loses what nothing synced (its store's WAL) */
    private boolean replicaHoldsLastWriteAfter(int writes, boolean powerLoss) throws Exception {
        String last = "key-" + (writes - 1);
        try (ProcessCluster cluster = new ProcessCluster(dir, 3, 1, 10_000_000)) {
            cluster.startAll();
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(20))) {
                Catalog catalog = new Catalog(client);
                for (int i = 0; i < writes; i++) {
                    catalog.put("topics", "key-" + i, new byte[1]).get(30, TimeUnit.SECONDS); // acknowledged
                }
                assertTrue(replicaHolds(catalog, last, Duration.ofSeconds(10)), "n1's replica before the crash");
            }
            crashAllAndRestartFirstAlone(cluster, powerLoss);
            try (GroupClient client = cluster.client(StoreGroups.CATALOG, Duration.ofSeconds(5))) {
                return replicaHolds(new Catalog(client), last, Duration.ofSeconds(10));
            }
        }
    }

    /** SIGKILLs every node, then starts n1 alone (no quorum, so no leader commits anything again). */
    private void crashAllAndRestartFirstAlone(ProcessCluster cluster, boolean powerLoss) throws Exception {
        Thread.sleep(1_000);
        for (int i = 0; i < 3; i++) {
            cluster.kill(i);
        }
        if (powerLoss) {
            emptyWriteAheadLog(dir.resolve("n1").resolve("state").resolve(StoreGroups.CATALOG));
        }
        cluster.launch(0);
        cluster.awaitReady(0, Duration.ofSeconds(60));
    }

    /** What a power loss may leave of files written but never synced: their names, none of their bytes. */
    private static void emptyWriteAheadLog(Path storeDirectory) throws Exception {
        try (var files = Files.list(storeDirectory)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".log")).toList()) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(0);
                }
            }
        }
    }

    private static boolean replicaHolds(Catalog catalog, String key, Duration within) throws InterruptedException {
        return "present".equals(replicaAnswer(catalog, key, "present", within));
    }

    /**
     * What n1's replica answers for the key ("present", "absent", or "no answer": refused, or still starting), polled
     * until it is {@code awaited} or the time is up.
     */
    private static String replicaAnswer(Catalog catalog, String key, String awaited, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String answer;
        do {
            try {
                answer = catalog.getReplica("n1", "topics", key).get(5, TimeUnit.SECONDS).isPresent() ? "present"
                        : "absent";
            } catch (Exception notYet) {
                answer = "no answer";
            }
            if (answer.equals(awaited)) {
                return answer;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return answer;
    }
}
