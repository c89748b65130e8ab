package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientInvocationId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.raftlog.segmented.LogCacheProbe;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a group's replica keeps of its entries in the heap once they are applied: one closed log segment besides the
 * open one (Ratis keeps six, up to 200 MB), and each reply in the retry cache only while its call may still be sent
 * again (the longest request timeout a node may have and a margin, not Ratis's minute). Under load both held every
 * message body of the last minute, 205 MB that G1 copied and marked over and over (benchmarks/RESULTS.md, session 23).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogHeapRetentionIT {
    @TempDir
    Path dir;

    @Test
    void appliedEntriesLeaveTheHeapOnceASecondSegmentCloses() throws Exception {
        // Small segments so that a few megabytes close many of them; everything else is the node's default.
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir)
                .raftProperties(Map.of("raft.server.log.segment.size.max", "1MB")).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            Catalog catalog = cluster.node(0).catalog();
            RaftLog log = catalogDivision(cluster).getRaftLog();
            byte[] value = new byte[100_000];
            // Five megabytes: four or five closed segments, all of which Ratis's default (six) keeps. Past six the
            // default's count saws (it evicts only once seven are cached, then every applied one): 100 writes (nine
            // closed) left 3 cached, one more than allowed here only because of where the ninth segment ended
            // (review 23).
            for (int i = 0; i < 50; i++) {
                catalog.put("retention", "k" + i, value).get(30, TimeUnit.SECONDS);
            }
            long closed = LogCacheProbe.closedSegments(log);
            long cached = LogCacheProbe.cachedClosedSegments(log);
            assertTrue(closed >= 4 && closed <= 6, "5 MB through 1 MB segments closed four to six: " + closed);
            assertTrue(cached <= RaftStoreNode.LOG_CACHE_CLOSED_SEGMENTS + 1,
                    "closed segments still in the heap: " + cached + " of " + closed);
        }
    }

    @Test
    void aReplyIsKeptWhileAnyNodeMaySendItsCallAgainAndNoLonger() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().baseDirectory(dir).requestTimeout(Duration.ofSeconds(2)).start()) {
            cluster.awaitLeader(Duration.ofSeconds(30));
            RaftServer.Division division = catalogDivision(cluster);
            cluster.node(0).catalog().put("retention", "k", new byte[1]).get(30, TimeUnit.SECONDS);
            assertNotNull(division.getRetryCache().getIfPresent(lastClientCall(division.getRaftLog())),
                    "the reply is kept while the call may come again");
        }
        // Waiting out the expiry would take 35 s: the expiry a node runs with is read from its properties instead. The
        // same for every request timeout (RetryCacheAcrossRequestTimeoutsIT: a sender may have a longer one than the
        // leader), longer than the longest any node may have, and shorter than Ratis's minute.
        for (Duration requestTimeout : List.of(Duration.ofSeconds(2), RaftStoreConfig.MAX_REQUEST_TIMEOUT)) {
            RaftStoreConfig config = RaftStoreConfig.defaults().withRequestTimeout(requestTimeout);
            TimeDuration expiry = RaftServerConfigKeys.RetryCache.expiryTime(RaftStoreNode.properties(config, dir, false));
            assertEquals(RaftStoreConfig.MAX_REQUEST_TIMEOUT.plusSeconds(5).toMillis(),
                    expiry.toLong(TimeUnit.MILLISECONDS), "expiry with a " + requestTimeout + " request timeout");
        }
    }

    private static RaftServer.Division catalogDivision(MiniCluster cluster) throws Exception {
        return cluster.node(0).raftServer().getDivision(StoreGroups.groupId(StoreGroups.CATALOG));
    }

    /** The client call of the newest client entry in {@code log}. */
    private static ClientInvocationId lastClientCall(RaftLog log) throws Exception {
        for (long index = log.getLastCommittedIndex(); index >= log.getStartIndex(); index--) {
            LogEntryProto entry = log.get(index);
            if (entry != null && entry.hasStateMachineLogEntry()) {
                return ClientInvocationId.valueOf(entry.getStateMachineLogEntry());
            }
        }
        throw new AssertionError("no client entry in the log");
    }
}
