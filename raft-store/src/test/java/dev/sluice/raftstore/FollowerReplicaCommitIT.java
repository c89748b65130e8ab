package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower's replica (read without the leader) holds a lone acknowledged write well within one heartbeat
 * interval, although the leader appends no commit-index entry after a commit: the marker it appends at once after a
 * lone catalog write ({@code CommitMarkers}) carries the commit to its followers.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FollowerReplicaCommitIT {
    /** Ratis sends an idle heartbeat every half minimum election timeout: 600 ms here, so a lone write's commit
     * reaches a follower within the bound below only if something other than that heartbeat carries it. */
    private static final Map<String, String> SLOW_HEARTBEATS = Map.of(
            "raft.server.rpc.timeout.min", "1200ms", "raft.server.rpc.timeout.max", "1800ms");
    /** Generous for a loaded 2-core machine; half the idle heartbeat interval. */
    private static final Duration BOUND = Duration.ofMillis(300);

    @TempDir
    Path dir;

    @Test
    void aFollowerReplicaHoldsEachLoneAcknowledgedWriteWithinAFractionOfTheHeartbeatInterval() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).baseDirectory(dir).raftProperties(SLOW_HEARTBEATS)
                .start()) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(60));
            Catalog catalog = cluster.node(leader).catalog();
            catalog.put("topics", "warm-up", new byte[1]).get(30, TimeUnit.SECONDS);
            List<String> late = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String key = "lone-" + i;
                catalog.put("topics", key, new byte[1]).get(30, TimeUnit.SECONDS); // acknowledged: committed
                for (int follower : cluster.followers()) {
                    String nodeId = cluster.peer(follower).id();
                    if (!replicaHoldsWithin(catalog, nodeId, key, BOUND)) {
                        late.add(key + " on " + nodeId);
                    }
                }
            }
            assertTrue(late.isEmpty(), "follower replicas missing an acknowledged write after " + BOUND + ": " + late);
        }
    }

    private static boolean replicaHoldsWithin(Catalog catalog, String nodeId, String key, Duration bound)
            throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        do {
            if (catalog.getReplica(nodeId, "topics", key).get(10, TimeUnit.SECONDS).isPresent()) {
                return true;
            }
            Thread.sleep(5);
        } while (System.nanoTime() < deadline);
        return false;
    }
}
