package dev.sluice.raftstore.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.raftstore.ClusterView;
import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's membership client reaches a group's leader when the first node it knows holds no replica of the
 * group (five nodes, ten groups of three: most groups lack n1): such a node answers "group not found", which the Ratis
 * client does not take as a hint to try another node, and a removal on a grown cluster never finished.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class MembershipClientIT {
    @TempDir
    Path dir;

    @Test
    void membershipChangesAndLeaderTransfersReachTheLeaderWhenTheFirstKnownNodeHoldsNoReplica() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(1).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            MembershipScenarios.awaitLayout(cluster, Duration.ofSeconds(60));
            cluster.node(0).membership().setReplicationFactor("data-0", 2).get(30, TimeUnit.SECONDS);
            ClusterView view = MembershipScenarios.awaitSettled(cluster, 0, settled -> dataGroup(settled).members().size() == 2
                    && dataGroup(settled).leader() != null, Duration.ofSeconds(90));
            List<String> members = dataGroup(view).members();
            // The node without a replica first: a client that goes to its first node by default meets "group not found".
            List<Peer> nodes = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
                Peer peer = cluster.peer(i);
                nodes.add(members.contains(peer.id()) ? nodes.size() : 0, peer);
            }
            try (MembershipClient client = new MembershipClient()) {
                client.useNodes(nodes);
                GroupMembership membership = client.membership("data-0", members).orElseThrow();
                // The same voters: nothing changes, but only the leader can say so.
                client.setMembership("data-0", membership, membership.voters(), membership.listeners());
                String other = membership.voters().stream().filter(id -> !id.equals(membership.leader())).findFirst()
                        .orElseThrow();
                client.transferLeadership("data-0", membership, other, 20_000);
                assertEquals(other, client.membership("data-0", members).orElseThrow().leader());
            }
        }
    }

    private static ClusterView.GroupView dataGroup(ClusterView view) {
        return view.groups().stream().filter(group -> group.name().equals("data-0")).findFirst().orElseThrow();
    }
}
