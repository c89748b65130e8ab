package dev.sluice.raftstore.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.ClusterView;
import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A formed group is never refused again: the founding guard (Formation) counts the members a group was founded for,
 * not what later layouts want. A one-node cluster whose layout already names new nodes that do not run yet (and a data
 * group whose replication factor was raised from 1 to 3 over such nodes) keeps acknowledging writes on its one voter,
 * as Raft's majority of that configuration allows; the new members are added once they run, and nothing acknowledged
 * is lost. (A guard counting the current layout refused every write from the layout change until two members voted.)
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GrowingClusterIT {
    /** How long the cluster runs with members in its layout that are not up: longer than a request timeout. */
    private static final Duration WAITING_FOR_NEW_MEMBERS = Duration.ofSeconds(8);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aOneNodeClusterKeepsAcknowledgingWritesWhileASecondAndThirdNodeAreAddedAndStarted() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(1).dataGroups(1).requestTimeout(REQUEST_TIMEOUT)
                .baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            MembershipScenarios.awaitLayout(cluster, Duration.ofSeconds(60));
            try (MembershipScenarios.Writer writer = new MembershipScenarios.Writer(cluster.node(0))) {
                int second = cluster.declareJoiningNode();
                add(cluster, second);
                assertWritesKeepBeingAcknowledged(cluster, writer, "with n2 in the layout but not running");

                cluster.restart(second);
                int third = cluster.startJoiningNode();
                add(cluster, third);
                ClusterView grown = MembershipScenarios.awaitSettled(cluster, 0, view -> view.groups().stream()
                        .allMatch(group -> group.members().size() == 3), Duration.ofSeconds(150));
                assertEquals(List.of("n1", "n2", "n3"), grown.groups().get(0).members().stream().sorted().toList());
                writer.assertNothingLost(cluster.node(0));
            }
        }
    }

    @Test
    void aDataGroupWhoseReplicationFactorIsRaisedFromOneToThreeKeepsAcknowledgingWrites() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(1).dataGroups(1).requestTimeout(REQUEST_TIMEOUT)
                .baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(60));
            MembershipScenarios.awaitLayout(cluster, Duration.ofSeconds(60));
            String group = StoreGroups.dataGroupName(0);
            cluster.node(0).membership().setReplicationFactor(group, 1).get(30, TimeUnit.SECONDS);
            int second = cluster.declareJoiningNode();
            int third = cluster.declareJoiningNode();
            add(cluster, second);
            add(cluster, third);
            try (MembershipScenarios.Writer writer = new MembershipScenarios.Writer(cluster.node(0))) {
                ClusterLayout raised = cluster.node(0).membership().setReplicationFactor(group, 3).get(30, TimeUnit.SECONDS);
                assertEquals(3, raised.group(group).orElseThrow().members().size());
                assertWritesKeepBeingAcknowledged(cluster, writer, "with data-0's factor raised to 3 over nodes not running");

                cluster.restart(second);
                cluster.restart(third);
                MembershipScenarios.awaitSettled(cluster, 0, view -> view.groups().stream()
                        .allMatch(each -> each.members().size() == 3), Duration.ofSeconds(150));
                writer.assertNothingLost(cluster.node(0));
            }
        }
    }

    private static void add(MiniCluster cluster, int index) throws Exception {
        Peer peer = cluster.peer(index);
        cluster.node(0).membership().addNode(peer.id(), peer.host(), peer.port(), "").get(30, TimeUnit.SECONDS);
    }

    /**
     * For {@link #WAITING_FOR_NEW_MEMBERS}, the writer's writes (each bounded by the request timeout) are acknowledged
     * and none fails, and so is a catalog write.
     */
    private static void assertWritesKeepBeingAcknowledged(MiniCluster cluster, MembershipScenarios.Writer writer,
            String when) throws Exception {
        int failuresBefore = writer.failures();
        int acknowledgedBefore = writer.acknowledgedCount();
        Thread.sleep(WAITING_FOR_NEW_MEMBERS.toMillis());
        cluster.node(0).catalog().put("growing", "catalog", new byte[1])
                .get(REQUEST_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        assertEquals(failuresBefore, writer.failures(), "writes failed " + when);
        assertTrue(writer.acknowledgedCount() > acknowledgedBefore, "writes were acknowledged " + when);
    }
}
