package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.codec.CommitStamp;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 21: does a replica ever apply (and so serve) a write before its own Raft log proves the write committed?
 * If it does, a power loss at that moment (every node's store back at its last flush, RocksDB's WAL being off) leaves
 * a lone restarted replica older than what it served: ReplicaAfterCrashIT's guarantee (a revoked key stays revoked),
 * which that test checks only a second after the last write.
 *
 * <p>The proof a log holds: the highest commit index stamped in its entries (CommitIndexAtStart's scan), or carried by
 * a Ratis commit-index entry. With commit-index entries (below feature level 5), a follower learns a commit from the
 * append that carries the next commit-index entry. With stamps, from the append of the marker the catalog's leader
 * appends at once when its log goes idle (CommitMarkers.decisionDelay). Review 21 found a follower applying each lone
 * write about 20 ms before its log proved it (5 of 5), when the leader told followers of every commit by a heartbeat
 * of its own and decided the catalog's marker 20 ms after the log went idle.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServedBeforeProvedIT {
    private static final int WRITES = 5;

    @TempDir
    Path dir;

    @Test
    void aFollowerNeverAppliesALoneWriteBeforeItsOwnLogProvesItCommitted() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir).start()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(60));
            Catalog catalog = cluster.node(leader).catalog();
            catalog.put("topics", "warm-up", new byte[1]).get(30, TimeUnit.SECONDS);
            RaftServer.Division follower = catalogDivision(cluster.node(cluster.followers().get(0)));
            List<String> unproved = new ArrayList<>();
            for (int i = 0; i < WRITES; i++) {
                long before = CommitMarkerIT.awaitQuiet(CommitMarkerIT.catalogLog(cluster.node(leader)));
                CompletableFuture<Boolean> write = catalog.put("topics", "lone-" + i, new byte[1]);
                long applied = awaitAppliedAfter(follower, before);
                long proved = highestProof(follower.getRaftLog(), before);
                if (proved < applied) {
                    unproved.add("applied " + applied + ", log proves " + proved);
                }
                write.get(30, TimeUnit.SECONDS); // acknowledged
            }
            assertTrue(unproved.isEmpty(), "a follower applied (and served) writes its own log did not prove"
                    + " committed; a power loss then loses them on a lone restart: " + unproved);
        }
    }

    private static RaftServer.Division catalogDivision(RaftStoreNode node) throws Exception {
        return node.raftServer().getDivision(StoreGroups.groupId(StoreGroups.CATALOG));
    }

    /** Spins (no sleep: the window is ~20 ms) until the division applied an entry after {@code index}. */
    private static long awaitAppliedAfter(RaftServer.Division division, long index) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long applied;
        while ((applied = division.getInfo().getLastAppliedIndex()) <= index) {
            assertTrue(System.nanoTime() < deadline, "the follower applied nothing after " + index);
            Thread.onSpinWait();
        }
        return applied;
    }

    /** The highest commit index the log's entries after {@code from} prove: stamps, or Ratis's commit-index entries. */
    private static long highestProof(RaftLog log, long from) throws Exception {
        long proved = -1;
        for (long index = from + 1; index <= log.getLastEntryTermIndex().getIndex(); index++) {
            LogEntryProto entry = log.get(index);
            if (entry == null) {
                continue;
            }
            if (entry.hasMetadataEntry()) {
                proved = Math.max(proved, entry.getMetadataEntry().getCommitIndex());
            } else if (entry.hasStateMachineLogEntry()) {
                proved = Math.max(proved, CommitStamp.read(entry.getStateMachineLogEntry().getLogData()
                        .asReadOnlyByteBuffer()));
            }
        }
        return proved;
    }
}
