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
    void eachLoneWriteIsFollowedByOneMarkerThatCoversItAndNoMarkerFollowsAMarker() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            Catalog catalog = node.catalog();
            RaftLog log = catalogLog(node);
            catalog.put("topics", "warm-up", new byte[1]).get(30, TimeUnit.SECONDS);
            long before = awaitQuiet(log);
            int writes = 5;
            for (int i = 0; i < writes; i++) {
                catalog.put("topics", "t" + i, new byte[1]).get(30, TimeUnit.SECONDS); // one at a time: lone entries
                awaitQuiet(log);
            }
            LogTail tail = LogTail.read(log, before + 1);
            assertEquals(writes, tail.clientEntries, "client entries");
            assertEquals(writes, tail.markers, "one marker per lone write, none after a marker");
            assertEquals(0, tail.metadataEntries, "Ratis's commit-index entries are off");
            assertTrue(tail.lastClientEntryStampedLater, "each client entry's index is stamped in a later entry");
        }
    }

    @Test
    void manyWritesInFlightAppendFarFewerMarkersThanWrites() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftStoreNode node = cluster.node(0);
            Catalog catalog = node.catalog();
            RaftLog log = catalogLog(node);
            catalog.put("topics", "warm-up", new byte[1]).get(30, TimeUnit.SECONDS);
            long before = awaitQuiet(log);
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
            assertEquals(0, tail.metadataEntries, "Ratis's commit-index entries are off");
            assertTrue(tail.clientEntries > 0, "client entries");
            // Ratis's commit-index entries were about one per client entry here; markers come only at pauses.
            assertTrue(tail.markers * 10 < writes, tail.markers + " markers for " + writes + " writes in "
                    + tail.clientEntries + " client entries");
            assertTrue(tail.lastClientEntryStampedLater, "the last write's index is stamped after it");
        }
    }

    private static RaftLog catalogLog(RaftStoreNode node) throws Exception {
        return node.raftServer().getDivision(StoreGroups.groupId(StoreGroups.CATALOG)).getRaftLog();
    }

    /** Waits until the log has stopped growing and is committed to its end (a marker, if one comes, is in it). */
    private static long awaitQuiet(RaftLog log) throws InterruptedException {
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
    private record LogTail(int clientEntries, int markers, int metadataEntries, boolean lastClientEntryStampedLater) {
        static LogTail read(RaftLog log, long from) throws Exception {
            int clients = 0;
            int markers = 0;
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
                    if (CommitStamp.isMarker(data)) {
                        markers++;
                    } else {
                        clients++;
                        lastClient = index;
                    }
                }
            }
            return new LogTail(clients, markers, metadata, highestStamp >= lastClient);
        }
    }
}
