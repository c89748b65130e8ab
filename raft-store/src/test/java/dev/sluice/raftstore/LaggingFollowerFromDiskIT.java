package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.server.raftlog.segmented.LogCacheProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review 23: with one closed segment cached (6a73ebaf), a follower that was down while many segments closed is served
 * from the leader's segment files, not its cache; it must still catch up entry for entry.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LaggingFollowerFromDiskIT {
    @TempDir
    Path dir;

    @Test
    void aFollowerBehindEvictedSegmentsCatchesUp() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir)
                .raftProperties(Map.of("raft.server.log.segment.size.max", "1MB")).start()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(60));
            int behind = (leader + 1) % 3;
            cluster.kill(behind);
            Catalog catalog = cluster.node(leader).catalog();
            byte[] value = new byte[100_000];
            for (int i = 0; i < 80; i++) {
                value[0] = (byte) i;
                catalog.put("lag", "k" + i, value).get(30, TimeUnit.SECONDS);
            }
            var log = cluster.node(leader).raftServer().getDivision(StoreGroups.groupId(StoreGroups.CATALOG)).getRaftLog();
            long closed = LogCacheProbe.closedSegments(log);
            long cached = LogCacheProbe.cachedClosedSegments(log);
            // Mostly on disk, not "at most 2": eviction runs at appends and stops at the slowest live follower's and the
            // applied index, so the last segment or two may still be cached when the writes end (3 of 7 seen in a
            // full-suite run). Ratis's default would keep all of them (six of seven).
            assertTrue(closed >= 6 && cached * 2 < closed,
                    "the leader's closed segments mostly on disk: " + cached + " of " + closed);
            long target = log.getLastCommittedIndex();

            cluster.restart(behind);
            var division = cluster.node(behind).raftServer().getDivision(StoreGroups.groupId(StoreGroups.CATALOG));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (division.getInfo().getLastAppliedIndex() < target && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(division.getInfo().getLastAppliedIndex() >= target,
                    "the follower applied " + division.getInfo().getLastAppliedIndex() + " of " + target);
        }
    }
}
