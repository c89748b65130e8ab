package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Leaders of the data groups spread over a 3-node cluster, survive a node's death and come back to it. */
@Tag("fault")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LeadershipBalanceIT {
    private static final int GROUPS = 6;

    @TempDir
    Path dir;

    @Test
    void sixDataGroupsOnThreeNodesEndWithTwoLeadersEachAndTheSurvivorsTakeOverAKilledNodesGroups() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(GROUPS).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            awaitUntil(Duration.ofSeconds(90), () -> leaderCounts(cluster).equals(Map.of("n1", 2, "n2", 2, "n3", 2)),
                    () -> "leaders per node: " + leaderCounts(cluster));
            for (int index = 0; index < GROUPS; index++) {
                assertTrue(cluster.node(index % 3).isLeader(index), "data-" + index + " is led by its preferred member");
            }
            writeToEveryGroup(cluster, 0, "before");

            cluster.kill(2);
            awaitUntil(Duration.ofSeconds(60), () -> leaderCounts(cluster).values().stream().mapToInt(Integer::intValue).sum() == GROUPS,
                    () -> "leaders per node after the kill: " + leaderCounts(cluster));
            assertEquals(0, leaderCounts(cluster).getOrDefault("n3", 0));
            writeToEveryGroup(cluster, 0, "after-kill");
            writeToEveryGroup(cluster, 1, "after-kill-via-n2");

            cluster.restart(2);
            awaitUntil(Duration.ofSeconds(90), () -> leaderCounts(cluster).equals(Map.of("n1", 2, "n2", 2, "n3", 2)),
                    () -> "leaders per node after the restart: " + leaderCounts(cluster));
            writeToEveryGroup(cluster, 2, "after-restart");
        }
    }

    /** Running nodes' ids to the number of data groups each leads. */
    private static Map<String, Integer> leaderCounts(MiniCluster cluster) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int node = 0; node < cluster.size(); node++) {
            RaftStoreNode running = cluster.node(node);
            if (running == null) {
                continue;
            }
            for (int index = 0; index < GROUPS; index++) {
                if (running.isLeader(index)) {
                    counts.merge(cluster.peer(node).id(), 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    private static void writeToEveryGroup(MiniCluster cluster, int via, String value) throws Exception {
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (int index = 0; index < GROUPS; index++) {
            writes.add(new Catalog(cluster.node(via).dataGroup(index)).put("balance", "k", value.getBytes(StandardCharsets.UTF_8)));
        }
        for (CompletableFuture<Boolean> write : writes) {
            write.get(30, TimeUnit.SECONDS);
        }
    }

    static void awaitUntil(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> describe)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + describe.get());
            }
            Thread.sleep(100);
        }
    }
}
