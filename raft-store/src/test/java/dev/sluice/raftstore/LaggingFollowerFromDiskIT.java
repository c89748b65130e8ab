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

    private static boolean mostlyOnDisk(org.apache.ratis.server.raftlog.RaftLog log) {
        long closed = LogCacheProbe.closedSegments(log);
        return closed >= 6 && LogCacheProbe.cachedClosedSegments(log) * 2 < closed;
    }

    @Test
    void aFollowerBehindEvictedSegmentsCatchesUp() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir)
                .raftProperties(Map.of("raft.server.log.segment.size.max", "1MB")).start()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(60));
            int behind = (leader + 1) % 3;
            cluster.kill(behind);
            Catalog catalog = cluster.node(leader).catalog();
            byte[] value = new byte[100_000];
            var log = cluster.node(leader).raftServer().getDivision(StoreGroups.groupId(StoreGroups.CATALOG)).getRaftLog();
            // Mostly on disk, not "at most 2": eviction runs at appends and stops at the slowest live follower's and the
            // applied index, so the last segments may still be cached when a given write ends (3 and 4 of 7 seen in
            // full-suite runs): write on until it holds. Ratis's default keeps all of them, and never gets there.
            int written = 0;
            while (written < 80 || !mostlyOnDisk(log) && written < 240) {
                value[0] = (byte) written;
                catalog.put("lag", "k" + written, value).get(30, TimeUnit.SECONDS);
                written++;
            }
            assertTrue(mostlyOnDisk(log), "the leader's closed segments mostly on disk: "
                    + LogCacheProbe.cachedClosedSegments(log) + " of " + LogCacheProbe.closedSegments(log));
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
