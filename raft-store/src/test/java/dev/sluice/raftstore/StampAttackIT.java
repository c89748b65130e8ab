package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.codec.CommitStamp;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 21's attacks on the stamped commit index (branch stamp20): a deposed leader's stamped tail that another
 * leader overwrites, markers across leader changes and closes, and a restart after a snapshot install and purge.
 * Each test says what it tries to break; all use real Ratis on loopback. Tagged cluster (-Pcluster): ~90 s, mostly a
 * 3-node catch-up after a snapshot install, which would take the default suite past its 20-minute budget.
 */
@Tag("cluster")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StampAttackIT {
    /** A leader steps down an election timeout after it last heard a majority: long enough to append a lone write. */
    private static final Map<String, String> SLOW_STEP_DOWN = Map.of(
            "raft.server.rpc.timeout.min", "6s", "raft.server.rpc.timeout.max", "8s");

    @TempDir
    Path dir;

    /**
     * A leader cut off from its followers appends a write that never commits, stamped with its commit index; it
     * restarts alone (its commit index raised from that stamp), stops; the followers elect a leader of their own
     * that writes over the orphan's index; the deposed leader rejoins. The stamp must never have let it apply the
     * orphan (Ratis would then refuse to truncate a committed entry, or the replicas would diverge), and after the
     * rejoin every replica holds the same data.
     */
    @Test
    void aDeposedLeadersStampedOrphanIsNeverAppliedAndIsOverwrittenWhenItRejoins() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir).raftProperties(SLOW_STEP_DOWN)
                .start()) {
            int deposed = cluster.awaitLeader(Duration.ofSeconds(60));
            String deposedId = cluster.peer(deposed).id();
            Catalog catalog = cluster.node(deposed).catalog();
            for (int i = 0; i < 5; i++) {
                catalog.put("topics", "key-" + i, new byte[1]).get(30, TimeUnit.SECONDS);
            }
            RaftLog log = CommitMarkerIT.catalogLog(cluster.node(deposed));
            CommitMarkerIT.awaitQuiet(log);
            long committed = log.getLastCommittedIndex();
            List<Integer> others = cluster.followers();
            for (int follower : others) {
                cluster.kill(follower);
            }
            CompletableFuture<Boolean> orphanWrite = catalog.put("topics", "orphan", new byte[1]);
            long orphan = awaitAppendedAfter(log, committed);
            long orphanTerm = log.getTermIndex(orphan).getTerm();
            long orphanStamp = CommitStamp.read(log.get(orphan).getStateMachineLogEntry().getLogData()
                    .asReadOnlyByteBuffer());
            assertTrue(orphanStamp <= committed, "the orphan's stamp " + orphanStamp + " is a committed index");
            orphanWrite.cancel(false);

            cluster.restart(deposed); // alone: its commit index comes from its own log's stamps
            Catalog alone = cluster.node(deposed).catalog();
            assertTrue(awaitReplica(alone, deposedId, "key-4", true), "the lone replica serves what it served");
            RaftLog aloneLog = CommitMarkerIT.catalogLog(cluster.node(deposed));
            assertTrue(aloneLog.getLastCommittedIndex() < orphan, "commit index at a lone start "
                    + aloneLog.getLastCommittedIndex() + ", orphan at " + orphan);
            assertTrue(awaitReplica(alone, deposedId, "orphan", false), "the orphan is not applied");
            cluster.kill(deposed);

            for (int follower : others) {
                cluster.restart(follower);
            }
            int winner = awaitLeaderAmong(cluster, others);
            Catalog winning = cluster.node(winner).catalog();
            for (int i = 0; i < 5; i++) {
                winning.put("topics", "winner-" + i, new byte[1]).get(60, TimeUnit.SECONDS);
            }

            cluster.restart(deposed); // rejoins: the new leader truncates the orphan in its log
            Catalog rejoined = cluster.node(deposed).catalog();
            assertTrue(awaitReplica(rejoined, deposedId, "winner-4", true), "the deposed node caught up");
            assertTrue(awaitReplica(rejoined, deposedId, "orphan", false), "and never applied the orphan");
            RaftLog rejoinedLog = CommitMarkerIT.catalogLog(cluster.node(deposed));
            assertTrue(rejoinedLog.getTermIndex(orphan).getTerm() > orphanTerm, "the orphan's index was overwritten");
            for (int node = 0; node < cluster.size(); node++) {
                assertEquals(List.of(), cluster.node(node).failedGroups(), "no fatal error on node " + node);
                String id = cluster.peer(node).id();
                assertTrue(awaitReplica(rejoined, id, "orphan", false), "no replica holds the orphan: " + id);
                assertTrue(awaitReplica(rejoined, id, "key-4", true), "every replica holds key-4: " + id);
            }
        }
    }

    /**
     * Markers across leader changes at idle: each new leader forgets which stamps it wrote (a deposed leader's may be
     * truncated), so it may append one marker although the log already ended with one. Bounded: at most one marker
     * per leader change, never a marker per marker, and the log stays quiet in between.
     */
    @Test
    void leaderChangesAtIdleAppendAtMostOneMarkerEach() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir).start()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(60));
            cluster.node(leader).catalog().put("topics", "warm-up", new byte[1]).get(30, TimeUnit.SECONDS);
            long before = CommitMarkerIT.awaitQuiet(CommitMarkerIT.catalogLog(cluster.node(leader)));
            int changes = 3;
            for (int i = 0; i < changes; i++) {
                int old = cluster.awaitLeader(Duration.ofSeconds(60));
                List<Integer> survivors = new ArrayList<>(List.of(0, 1, 2));
                survivors.remove(Integer.valueOf(old));
                cluster.kill(old);
                awaitLeaderAmong(cluster, survivors);
                cluster.restart(old);
                cluster.awaitLeader(Duration.ofSeconds(60));
            }
            RaftLog log = CommitMarkerIT.catalogLog(cluster.node(cluster.awaitLeader(Duration.ofSeconds(60))));
            long quiet = CommitMarkerIT.awaitQuiet(log);
            int markers = 0;
            int clientEntries = 0;
            for (long index = before + 1; index <= quiet; index++) {
                LogEntryProto entry = log.get(index);
                if (entry.hasStateMachineLogEntry()) {
                    ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
                    if (CommitStamp.isMarker(data)) {
                        markers++;
                    } else {
                        clientEntries++;
                    }
                }
            }
            System.out.printf("leader changes at idle: %d changes, %d markers, %d client entries (node writes)%n",
                    changes, markers, clientEntries);
            assertTrue(markers <= changes + clientEntries, markers + " markers for " + changes + " leader changes and "
                    + clientEntries + " client entries");
            assertEquals(quiet, CommitMarkerIT.awaitQuiet(log), "the log stays quiet: no marker calls for another");
        }
    }

    /**
     * A node closed while its marker is being decided (a write, then close at once): the marker thread ends with
     * the node, nothing fails on the survivors, and they serve the write.
     */
    @Test
    void aNodeClosedWhileItsMarkerIsPendingLeavesNoMarkerThreadAndNoFailure() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir).start()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(60));
            Catalog catalog = cluster.node(leader).catalog();
            for (int i = 0; i < 3; i++) {
                catalog.put("topics", "closing-" + i, new byte[1]).get(30, TimeUnit.SECONDS);
                cluster.kill(leader); // within the marker's decision delay
                cluster.restart(leader);
                leader = cluster.awaitLeader(Duration.ofSeconds(60));
                catalog = cluster.node(leader).catalog();
            }
            for (int node = 0; node < cluster.size(); node++) {
                assertEquals(List.of(), cluster.node(node).failedGroups(), "no fatal error on node " + node);
                assertTrue(awaitReplica(catalog, cluster.peer(node).id(), "closing-2", true), "node " + node);
            }
        }
        assertEquals(0, awaitNoMarkerThreads(), "commit-marker threads alive after every node closed");
    }

    /**
     * A restart after the log was purged behind a snapshot the replica installed: the scan for stamps starts above
     * the log's first index and the store's applied index (the installed snapshot's or later) is the floor.
     */
    @Test
    void aReplicaRestartedAloneAfterASnapshotInstallAndPurgeServesWhatItServed() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir).snapshotThresholdEntries(100)
                .raftProperties(Map.of("raft.server.log.segment.size.max", "2MB")).start()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(60));
            int behind = cluster.followers().get(0);
            String behindId = cluster.peer(behind).id();
            cluster.kill(behind);
            Catalog catalog = cluster.node(leader).catalog();
            for (int i = 0; i < 400; i++) {
                catalog.put("topics", "k" + i, new byte[16 * 1024]).get(30, TimeUnit.SECONDS); // closes segments
            }
            RaftLog leaderLog = CommitMarkerIT.catalogLog(cluster.node(leader));
            assertTrue(leaderLog.getStartIndex() > 1, "the leader purged its log");
            cluster.restart(behind); // catches up by a snapshot: its own log starts after it
            // A snapshot install of ~6 MB took over 20 s here once; the test takes as long with Ratis's own appender.
            assertTrue(awaitReplica(catalog, behindId, "k399", true, Duration.ofSeconds(90)), "caught up");
            catalog.put("topics", "after-install", new byte[1]).get(30, TimeUnit.SECONDS);
            assertTrue(awaitReplica(catalog, behindId, "after-install", true), "a write after the install");
            for (int node = 0; node < cluster.size(); node++) {
                cluster.kill(node);
            }
            cluster.restart(behind); // alone
            Catalog alone = cluster.node(behind).catalog();
            assertTrue(awaitReplica(alone, behindId, "after-install", true), "the lone replica after the install");
            assertTrue(awaitReplica(alone, behindId, "k0", true), "and what the snapshot brought");
            assertEquals(List.of(), cluster.node(behind).failedGroups());
        }
    }

    private static long awaitAppendedAfter(RaftLog log, long committed) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (log.getLastEntryTermIndex().getIndex() <= committed && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long appended = log.getLastEntryTermIndex().getIndex();
        assertTrue(appended > committed, "the leader appended the write after its followers stopped");
        assertEquals(committed, log.getLastCommittedIndex(), "and could not commit it");
        return appended;
    }

    /** Waits until one of {@code candidates} leads the catalog and every running node is ready; returns it. */
    private static int awaitLeaderAmong(MiniCluster cluster, List<Integer> candidates) throws InterruptedException {
        int leader = cluster.awaitLeader(Duration.ofSeconds(90));
        assertTrue(candidates.contains(leader), "leader " + leader + " among " + candidates);
        return leader;
    }

    /** Polls {@code nodeId}'s replica until {@code key} is present (or absent); whether it got there in 20 s. */
    private static boolean awaitReplica(Catalog catalog, String nodeId, String key, boolean present)
            throws InterruptedException {
        return awaitReplica(catalog, nodeId, key, present, Duration.ofSeconds(20));
    }

    private static boolean awaitReplica(Catalog catalog, String nodeId, String key, boolean present, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        do {
            try {
                if (catalog.getReplica(nodeId, "topics", key).get(5, TimeUnit.SECONDS).isPresent() == present) {
                    return true;
                }
            } catch (Exception notYet) {
                // still starting, or refused while it has no commit index yet
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static long awaitNoMarkerThreads() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long alive;
        do {
            alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.isAlive() && thread.getName().endsWith("-commit-marker")).count();
            if (alive == 0) {
                return 0;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return alive;
    }
}
