package dev.sluice.raftstore.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.ClusterView;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.testing.CatalogCounts;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A fourth node added to a running three-node cluster under writes. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AddNodeIT {
    @TempDir
    Path dir;

    @Test
    void aFourthNodeAddedUnderWritesHoldsAndLeadsItsShareAndNoAcknowledgedWriteIsLost() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(4).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            ClusterLayout initial = MembershipScenarios.awaitLayout(cluster, Duration.ofSeconds(60));
            assertEquals(3, initial.group("data-0").orElseThrow().members().size());
            try (MembershipScenarios.Writer writer = new MembershipScenarios.Writer(cluster.node(0))) {
                int added = cluster.startJoiningNode();
                var peer = cluster.peer(added);
                cluster.node(1).membership().addNode(peer.id(), peer.host(), peer.port(), "").get(30, TimeUnit.SECONDS);
                // Adding twice is harmless: the same node at the same address is already there.
                cluster.node(2).membership().addNode(peer.id(), peer.host(), peer.port(), "").get(30, TimeUnit.SECONDS);

                // 4 groups x 3 replicas over 4 nodes: 3 each; 4 leaders over 4 nodes: 1 each.
                ClusterView settled = MembershipScenarios.awaitSettled(cluster, 0, view ->
                        MembershipScenarios.groupsHeldBy(view, "n4") == 3
                                && MembershipScenarios.leaderCounts(view).values().stream().allMatch(count -> count == 1)
                                && view.groups().get(0).members().contains("n4"),
                        Duration.ofSeconds(150));
                Map<String, Integer> leaders = MembershipScenarios.leaderCounts(settled);
                assertEquals(1, leaders.get("n4"), "n4 leads its share: " + settled);
                assertTrue(writer.acknowledgedCount() > 0);
                writer.assertNothingLost(cluster.node(0));

                // The new node's replicas hold what was written before it joined.
                for (ClusterView.GroupView group : settled.groups()) {
                    if (group.name().startsWith("data-") && group.members().contains("n4")) {
                        int index = Integer.parseInt(group.name().substring("data-".length()));
                        Set<String> held = CatalogCounts.keys(new Catalog(cluster.node(added).dataGroup(index)),
                                MembershipScenarios.NAMESPACE, "n4");
                        assertTrue(held.containsAll(writer.acknowledged(index)), group.name() + " on n4 misses writes");
                    }
                }
            }
        }
    }
}
