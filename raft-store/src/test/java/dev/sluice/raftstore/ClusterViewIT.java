package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("fault")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterViewIT {
    @TempDir
    Path dir;

    @Test
    void everyNodeListsEveryNodesPublishedUrlAndSeesAKilledNodeGoDown() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(2).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            for (int node = 0; node < 3; node++) {
                cluster.node(node).publishHttpUrl("http://node" + node + ".example:9324").get(30, TimeUnit.SECONDS);
            }
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> states(cluster.node(2).clusterView().join())
                    .equals(Map.of("n1", "UP", "n2", "UP", "n3", "UP")), () -> "" + cluster.node(2).clusterView().join());
            // A group's first entry (the new leader's) reaches a follower's state machine a moment after the election.
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> cluster.node(2).clusterView().join().groups().stream()
                    .allMatch(group -> group.appliedIndex() >= 0), () -> "" + cluster.node(2).clusterView().join());
            // n3's view reads its own replica, which applies an acknowledged write a moment after the leader committed it.
            List<String> urls = List.of("http://node0.example:9324", "http://node1.example:9324", "http://node2.example:9324");
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(30), () -> cluster.node(2).clusterView().join().nodes().stream()
                    .map(ClusterView.NodeView::httpUrl).toList().equals(urls), () -> "" + cluster.node(2).clusterView().join());
            ClusterView view = cluster.node(2).clusterView().get(10, TimeUnit.SECONDS);
            assertEquals(urls,
                    view.nodes().stream().map(ClusterView.NodeView::httpUrl).toList(), "read from n3's own catalog replica");
            assertEquals(cluster.peer(0).host() + ":" + cluster.peer(0).port(), view.nodes().get(0).raftAddress());
            assertEquals(List.of("catalog", "data-0", "data-1"), view.groups().stream().map(ClusterView.GroupView::name).toList());
            for (ClusterView.GroupView group : view.groups()) {
                assertEquals(List.of("n1", "n2", "n3"), group.members());
                assertNotNull(group.leader(), group.name());
                assertTrue(group.appliedIndex() >= 0, group.name() + " applied " + group.appliedIndex());
            }

            for (ClusterView.GroupView group : view.groups()) {
                int leader = Integer.parseInt(group.leader().substring(1)) - 1;
                ClusterView.GroupView led = cluster.node(leader).clusterView().get(10, TimeUnit.SECONDS).groups().stream()
                        .filter(candidate -> candidate.name().equals(group.name())).findFirst().orElseThrow();
                if (led.leader() != null && led.leader().equals(group.leader())) {
                    java.util.Set<String> followers = new java.util.TreeSet<>(List.of("n1", "n2", "n3"));
                    followers.remove(group.leader());
                    assertEquals(followers, led.followerLag().keySet(), "the leader's node knows each follower's lag");
                    assertTrue(led.followerLag().values().stream().allMatch(lag -> lag >= 0), led.toString());
                }
                if (!"n3".equals(group.leader())) {
                    assertTrue(group.followerLag().isEmpty(), "a follower cannot know the lag: " + group);
                }
            }

            cluster.kill(2);
            LeadershipBalanceIT.awaitUntil(Duration.ofSeconds(60), () -> states(cluster.node(0).clusterView().join())
                    .equals(Map.of("n1", "UP", "n2", "UP", "n3", "DOWN")), () -> "" + cluster.node(0).clusterView().join());
        }
    }

    private static Map<String, String> states(ClusterView view) {
        return view.nodes().stream().collect(Collectors.toMap(ClusterView.NodeView::id, node -> node.state().name()));
    }
}
