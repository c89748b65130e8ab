package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.codec.CommitStamp;
import dev.sluice.raftstore.codec.EntryHeader;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the leader appends in place of Ratis's commit-index entries: a commit stamp in every client entry, and one
 * marker after the last write before a pause, never one per write under load and never one after a marker.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommitMarkerIT {
    @TempDir
    Path dir;

    @Test
    void anIdleLogEndsWithOneMarkerThatCoversItAndNoMarkerFollowsAMarker() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            Catalog catalog = cluster.node(0).catalog();
            RaftLog log = catalogLog(cluster.node(0));
            long before = warmUp(catalog, log);
            int writes = 5;
            for (int i = 0; i < writes; i++) {
                catalog.put("topics", "t" + i, new byte[1]).get(30, TimeUnit.SECONDS); // one at a time: lone entries
                long quiet = awaitQuiet(log);
                // The node's own catalog writes (its address, the layout) may come between: a marker covers them too.
                ByteBuffer last = log.get(quiet).getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
                assertTrue(CommitStamp.isMarker(last), "the idle log ends with a marker after write " + i);
                assertEquals(quiet - 1, CommitStamp.read(last), "which covers every entry before it");
            }
            LogTail tail = LogTail.read(log, before + 1);
            assertTrue(tail.clientEntries >= writes, "client entries");
            assertEquals(0, tail.markersAfterMarkers, "no marker follows a marker");
            assertTrue(tail.markers >= 1 && tail.markers <= tail.clientEntries, tail.markers + " markers");
            assertEquals(0, tail.metadataEntries, "Ratis's commit-index entries are off");
        }
    }

    @Test
    void manyWritesInFlightAppendFarFewerMarkersThanWritesOrEntries() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            // A data group: the catalog decides its marker at once (CommitMarkers.decisionDelay), after about every
            // second entry under this load, as a commit-index entry came after each; its writes are rare.
            Catalog catalog = new Catalog(cluster.node(0).dataGroup(0));
            RaftLog log = cluster.node(0).raftServer().getDivision(StoreGroups.groupId(StoreGroups.dataGroupName(0)))
                    .getRaftLog();
            long before = warmUp(catalog, log);
            int writes = 3_000;
            Semaphore inFlight = new Semaphore(64);
            List<CompletableFuture<Boolean>> acknowledged = new ArrayList<>();
            for (int i = 0; i < writes; i++) {
                inFlight.acquire();
                acknowledged.add(catalog.put("load", "k" + i, new byte[16]).whenComplete((ok, error) -> inFlight.release()));
            }
            CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            awaitQuiet(log);
            LogTail tail = LogTail.read(log, before + 1);
            System.out.printf("commit markers: %d writes in %d client entries, %d markers%n", writes, tail.clientEntries,
                    tail.markers);
            assertEquals(0, tail.metadataEntries, "Ratis's commit-index entries are off");
            assertTrue(tail.clientEntries > 0, "client entries");
            // Ratis's commit-index entries were about one per client entry; markers come only at pauses (a marker
            // decided at once, without CommitMarkers.DATA_GROUP_DECISION_DELAY, came after about every second entry: 47 for 95).
            String counts = tail.markers + " markers for " + writes + " writes in " + tail.clientEntries + " client entries";
            assertTrue(tail.markers * 10 < writes, counts);
            assertTrue(tail.markers * 4 < tail.clientEntries, counts);
            assertTrue(tail.lastClientEntryStampedLater, "the last write's index is stamped after it");
        }
    }

    /**
     * The stamp's bound at a lone restart: the leader's followers stop, it appends one more write that never commits
     * (stamped with its commit index, the highest stamp in its log), and it restarts alone. It applies up to the stamp
     * and not the entry that carries it: uncommitted, that entry may yet be replaced by another leader's.
     */
    @Test
    void aLoneRestartedLeaderDoesNotApplyTheUncommittedEntryThatCarriesItsHighestStamp() throws Exception {
        // A leader steps down an election timeout after it last heard from a majority; stopping a node in process takes
        // a while, so the timeout is long enough for the write to reach the leader's log first.
        Map<String, String> slowStepDown = Map.of("raft.server.rpc.timeout.min", "6s", "raft.server.rpc.timeout.max", "8s");
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir).raftProperties(slowStepDown).start()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(60));
            Catalog catalog = cluster.node(leader).catalog();
            for (int i = 0; i < 5; i++) {
                catalog.put("topics", "key-" + i, new byte[1]).get(30, TimeUnit.SECONDS);
            }
            RaftLog log = catalogLog(cluster.node(leader));
            awaitQuiet(log);
            long committed = log.getLastCommittedIndex();
            for (int follower : cluster.followers()) {
                cluster.kill(follower);
            }
            CompletableFuture<Boolean> neverCommitted = catalog.put("topics", "never-committed", new byte[1]);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (log.getLastEntryTermIndex().getIndex() <= committed && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long uncommitted = log.getLastEntryTermIndex().getIndex();
            assertTrue(uncommitted > committed, "the leader appended the write after its followers stopped");
            assertEquals(committed, log.getLastCommittedIndex(), "and could not commit it");
            neverCommitted.cancel(false);

            cluster.restart(leader); // alone: no quorum, no leader
            String nodeId = cluster.peer(leader).id();
            Catalog restarted = cluster.node(leader).catalog();
            for (int i = 0; i < 5; i++) {
                assertTrue(awaitReplica(restarted, nodeId, "key-" + i), "acknowledged key-" + i + " on the lone replica");
            }
            RaftLog restartedLog = catalogLog(cluster.node(leader));
            assertTrue(restartedLog.getLastEntryTermIndex().getIndex() >= uncommitted, "the entry is still in its log");
            assertTrue(restartedLog.getLastCommittedIndex() < uncommitted, "and not committed at start: commit index "
                    + restartedLog.getLastCommittedIndex() + ", entry " + uncommitted);
            assertTrue(restarted.getReplica(nodeId, "topics", "never-committed").get(10, TimeUnit.SECONDS).isEmpty(),
                    "a write that never committed is not applied by the lone replica");
        }
    }

    private static boolean awaitReplica(Catalog catalog, String nodeId, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        do {
            try {
                if (catalog.getReplica(nodeId, "topics", key).get(5, TimeUnit.SECONDS).isPresent()) {
                    return true;
                }
            } catch (Exception notYet) {
                // still starting
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return false;
    }

    /** One write, then the index where the log went quiet after it. */
    private static long warmUp(Catalog catalog, RaftLog log) throws Exception {
        catalog.put("topics", "warm-up", new byte[1]).get(30, TimeUnit.SECONDS);
        return awaitQuiet(log);
    }

    static RaftLog catalogLog(RaftStoreNode node) throws Exception {
        return node.raftServer().getDivision(StoreGroups.groupId(StoreGroups.CATALOG)).getRaftLog();
    }

    /** Waits until the log has stopped growing and is committed to its end (a marker, if one comes, is in it). */
    static long awaitQuiet(RaftLog log) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long seen = -2;
        int unchangedPolls = 0;
        while (System.nanoTime() < deadline && unchangedPolls < 10) {
            long last = log.getLastEntryTermIndex().getIndex();
            unchangedPolls = last == seen && log.getLastCommittedIndex() == last ? unchangedPolls + 1 : 0;
            seen = last;
            Thread.sleep(50);
        }
        return seen;
    }

    /** Counts of a log's entries from an index to its end. */
    private record LogTail(int clientEntries, int markers, int markersAfterMarkers, int metadataEntries,
            boolean lastClientEntryStampedLater) {
        static LogTail read(RaftLog log, long from) throws Exception {
            int clients = 0;
            int markers = 0;
            int markersAfterMarkers = 0;
            boolean previousWasMarker = false;
            int metadata = 0;
            long lastClient = -1;
            long highestStamp = -1;
            for (long index = from; index <= log.getLastEntryTermIndex().getIndex(); index++) {
                LogEntryProto entry = log.get(index);
                if (entry.hasMetadataEntry()) {
                    metadata++;
                } else if (entry.hasStateMachineLogEntry()) {
                    ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
                    long stamp = CommitStamp.read(data);
                    assertTrue(stamp != EntryHeader.NO_STAMP && stamp < index, "entry " + index + " stamped " + stamp);
                    highestStamp = Math.max(highestStamp, stamp);
                    boolean marker = CommitStamp.isMarker(data);
                    if (marker) {
                        markers++;
                        markersAfterMarkers += previousWasMarker ? 1 : 0;
                    } else {
                        clients++;
                        lastClient = index;
                    }
                    previousWasMarker = marker;
                }
            }
            return new LogTail(clients, markers, markersAfterMarkers, metadata, highestStamp >= lastClient);
        }
    }
}
