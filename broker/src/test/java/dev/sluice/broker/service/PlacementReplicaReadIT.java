package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node routes by its own catalog replica: while the catalog has no leader (here: two of three nodes gone, so it
 * never gets one), a queue's placement still resolves on the surviving node, where a leader read would wait. A name
 * the node was told to forget is read from the leader again, so a stale replica cannot keep answering after a group
 * said the queue moved.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlacementReplicaReadIT {
    private static final String ACCOUNT = "000000000000";

    @TempDir
    Path dir;

    @Test
    void aQueuesPlacementResolvesFromTheLocalReplicaWhileTheCatalogHasNoLeader() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(2).baseDirectory(dir).start()) {
            // The survivor must not lead the catalog: a leader Ratis saw acknowledged at the catalog's (idle) commit index
            // answers a linearizable read at once from that acknowledgement, even after its followers died. Since group
            // founding, n1 (the catalog's founder) usually leads it.
            int survivorIndex = (cluster.awaitLeader(Duration.ofSeconds(60)) + 1) % cluster.size();
            RaftStoreNode node = cluster.node(survivorIndex);
            String survivor = cluster.config(survivorIndex).nodeId();
            // As the broker wires it: this node's id while it holds a voting catalog replica.
            java.util.function.Supplier<String> replica = () -> node.holdsCatalogReplica() ? survivor : null;
            QueuePlacement creator = new QueuePlacement(node.catalog(), ACCOUNT, 2, excluded -> 1, replica);
            Placement claimed = creator.claim("orders", name -> CompletableFuture.completedFuture(false)).get(30, TimeUnit.SECONDS);
            assertEquals(Placement.single(1), claimed);
            awaitReplicaHolds(node, survivor);

            for (int other = 0; other < cluster.size(); other++) {
                if (other != survivorIndex) {
                    cluster.kill(other);
                }
            }

            QueuePlacement replicaFirst = new QueuePlacement(node.catalog(), ACCOUNT, 2, excluded -> 1, replica);
            assertEquals(Placement.single(1), replicaFirst.placementOf("orders").get(5, TimeUnit.SECONDS));

            QueuePlacement leaderOnly = new QueuePlacement(node.catalog(), ACCOUNT, 2, excluded -> 1, () -> null);
            assertThrows(TimeoutException.class, () -> leaderOnly.placementOf("orders").get(3, TimeUnit.SECONDS),
                    "without a leader, a leader read cannot answer: the check above proves the replica answered");
            replicaFirst.forget("orders");
            assertThrows(TimeoutException.class, () -> replicaFirst.placementOf("orders").get(3, TimeUnit.SECONDS),
                    "a forgotten name is read from the leader, not from a replica that may be stale");
        }
    }

    private static void awaitReplicaHolds(RaftStoreNode node, String nodeId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.catalog().getReplica(nodeId, QueuePlacement.NAMESPACE, ACCOUNT + "/orders")
                .get(10, TimeUnit.SECONDS).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node " + nodeId + " never applied the claim");
            }
            Thread.sleep(20);
        }
    }
}
