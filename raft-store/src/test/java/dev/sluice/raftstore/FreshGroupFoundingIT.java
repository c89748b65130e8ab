package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.membership.GroupFounding;
import dev.sluice.raftstore.testing.FreePorts;
import dev.sluice.raftstore.testing.MiniCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh cluster's groups are founded by one node each, so no two nodes can write different entries at index 0
 * (the Ratis 3.3.0 livelock of docs/issue14-data3-stall.md needs two). Ratis's first entry of a group is its new
 * leader's configuration entry: founded by one node, it names that node alone on every member.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FreshGroupFoundingIT {
    private static final int DATA_GROUPS = 3;

    @TempDir
    Path dir;

    @Test
    void everyGroupsFirstEntryIsItsFoundersOnEveryMemberAndAllThreeMembersThenAcknowledge() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(DATA_GROUPS).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(90));
            List<Peer> peers = java.util.stream.IntStream.range(0, cluster.size()).mapToObj(cluster::peer).toList();
            List<String> ids = peers.stream().map(Peer::id).toList();
            try (GroupFounding founding = new GroupFounding(peers, DATA_GROUPS,
                    cluster.config(0).dataGroupReplicationFactor())) {
                for (String group : StoreGroups.names(DATA_GROUPS)) {
                    awaitVoters(cluster, group, new TreeSet<>(ids));
                    String founder = founding.founder(group);
                    LogEntryProto first = null;
                    for (int i = 0; i < cluster.size(); i++) {
                        LogEntryProto entry = firstEntry(cluster.node(i), group);
                        assertTrue(entry.hasConfigurationEntry(), group + " on " + ids.get(i) + " starts with " + entry);
                        List<String> voters = entry.getConfigurationEntry().getPeersList().stream()
                                .map(peer -> peer.getId().toStringUtf8()).toList();
                        assertEquals(List.of(founder), voters, group + ": index 0 on " + ids.get(i) + " names its voters");
                        if (first == null) {
                            first = entry;
                        } else {
                            assertEquals(first.getTerm(), entry.getTerm(), group + ": index 0's term on " + ids.get(i));
                        }
                    }
                }
            }
            // A node on a new data directory asks the members first: here every group is founded, so a member whose
            // disk was lost is told so (it waits for node-replace), and a node no configuration names waits to be added.
            List<Peer> withStranger = new ArrayList<>(peers);
            withStranger.add(new Peer("n9", "127.0.0.1", FreePorts.next()));
            try (GroupFounding asking = new GroupFounding(withStranger, DATA_GROUPS, cluster.config(0).dataGroupReplicationFactor())) {
                for (String group : StoreGroups.names(DATA_GROUPS)) {
                    for (String id : ids) {
                        assertEquals(GroupFounding.Start.REJOIN, asking.startOf(group, id), group + " for " + id);
                    }
                    assertEquals(GroupFounding.Start.EMPTY, asking.startOf(group, "n9"), group + " for a stranger");
                }
            }
            // Every member then takes part: a write to each group is applied on all three replicas.
            for (int group = 0; group < DATA_GROUPS; group++) {
                new Catalog(cluster.node(0).dataGroup(group)).put("ns", "k", bytes("g" + group)).get(30, TimeUnit.SECONDS);
            }
            cluster.node(1).catalog().put("ns", "k", bytes("catalog")).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < cluster.size(); i++) {
                awaitApplied(cluster, i);
            }
        }
    }

    @Test
    void onANewClusterOnlyTheFounderFoundsAndTheOthersStartEmpty() {
        List<Peer> peers = List.of(new Peer("n1", "127.0.0.1", FreePorts.next()), new Peer("n2", "127.0.0.1", FreePorts.next()),
                new Peer("n3", "127.0.0.1", FreePorts.next()));
        try (GroupFounding founding = new GroupFounding(peers, DATA_GROUPS, 3)) {
            for (String group : StoreGroups.names(DATA_GROUPS)) {
                String founder = founding.founder(group);
                for (Peer peer : peers) {
                    assertEquals(peer.id().equals(founder) ? GroupFounding.Start.FOUND : GroupFounding.Start.EMPTY,
                            founding.startOf(group, peer.id()), group + " on " + peer.id());
                }
            }
            assertEquals(List.of("n1", "n1", "n2", "n3"), StoreGroups.names(DATA_GROUPS).stream().map(founding::founder).toList(),
                    "founders: the lowest id for the catalog, each data group's preferred leader");
        }
    }

    @Test
    void aFounderThatLostItsDiskAndRestartsWithoutJoinNeitherFoundsAgainNorVotesUntilReplaced() throws Exception {
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(1).baseDirectory(dir).start()) {
            cluster.awaitLeader(Duration.ofSeconds(90));
            List<Peer> peers = java.util.stream.IntStream.range(0, cluster.size()).mapToObj(cluster::peer).toList();
            int founder;
            try (GroupFounding founding = new GroupFounding(peers, 1, cluster.config(0).dataGroupReplicationFactor())) {
                founder = peers.indexOf(peers.stream().filter(peer -> peer.id().equals(founding.founder(StoreGroups.CATALOG)))
                        .findFirst().orElseThrow());
            }
            int other = (founder + 1) % 3;
            awaitVoters(cluster, StoreGroups.CATALOG, new TreeSet<>(peers.stream().map(Peer::id).toList()));
            cluster.node(other).catalog().put("ns", "k", bytes("before")).get(30, TimeUnit.SECONDS);

            cluster.kill(founder);
            cluster.wipe(founder); // and the operator forgets --join, and to run node-replace first
            cluster.restart(founder);

            // Founding again would make it the only voter of a catalog of its own, which elects it within a second and
            // commits whatever it writes alone; rejoining as a voter would vote with its term, vote and log forgotten.
            // It holds no replica until the replace has taken it out of the group; the others serve meanwhile.
            String self = cluster.peer(founder).id();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!cluster.node(founder).membership().waitingReplicas().getOrDefault(StoreGroups.CATALOG, "").contains("node-replace")) {
                assertTrue(System.nanoTime() < deadline, "no wait for node-replace: " + cluster.node(founder).membership().waitingReplicas());
                Thread.sleep(100);
            }
            assertFalse(java.util.stream.StreamSupport.stream(cluster.node(founder).raftServer().getGroupIds().spliterator(), false)
                    .anyMatch(StoreGroups.groupId(StoreGroups.CATALOG)::equals), "the wiped founder created a catalog replica");
            cluster.node(other).catalog().put("other", "k2", bytes("while waiting")).get(30, TimeUnit.SECONDS);

            cluster.node(other).membership().replaceNode(self).get(30, TimeUnit.SECONDS);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (replicaValue(cluster.node(founder).catalog(), self).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(self + " never caught up after the replace; waiting: "
                            + cluster.node(founder).membership().waitingReplicas());
                }
                Thread.sleep(100);
            }
            assertEquals(firstEntry(cluster.node(other), StoreGroups.CATALOG), firstEntry(cluster.node(founder), StoreGroups.CATALOG),
                    "index 0 of the catalog on the replaced founder");
        }
    }

    /** Waits until the node's replica of the group has these voters (the controller adds them after the founding). */
    private static void awaitVoters(MiniCluster cluster, String group, Set<String> voters) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int i = 0; i < cluster.size(); i++) {
            while (true) {
                Set<String> actual = new TreeSet<>();
                division(cluster.node(i), group).getRaftConf().getCurrentPeers()
                        .forEach(peer -> actual.add(peer.getId().toString()));
                if (actual.equals(voters) && division(cluster.node(i), group).getRaftLog().getLastCommittedIndex() >= 0) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(group + " on node " + i + " has voters " + actual + ", not " + voters);
                }
                Thread.sleep(100);
            }
        }
    }

    private static void awaitApplied(MiniCluster cluster, int index) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String self = cluster.peer(index).id();
        while (true) {
            List<String> missing = new ArrayList<>();
            for (int group = 0; group < DATA_GROUPS; group++) {
                if (!replicaValue(new Catalog(cluster.node(index).dataGroup(group)), self).equals("g" + group)) {
                    missing.add("data-" + group);
                }
            }
            if (!replicaValue(cluster.node(index).catalog(), self).equals("catalog")) {
                missing.add("catalog");
            }
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(self + "'s replicas never applied the writes to " + missing);
            }
            Thread.sleep(100);
        }
    }

    /** The value of "ns"/"k" in this node's replica, "" while absent or while the replica cannot serve reads yet. */
    private static String replicaValue(Catalog catalog, String self) throws Exception {
        try {
            var entries = catalog.scanReplica(self, "ns", "", null, 10).get(10, TimeUnit.SECONDS).entries();
            return entries.size() == 1 ? new String(entries.get(0).value(), StandardCharsets.UTF_8) : "";
        } catch (java.util.concurrent.ExecutionException notCaughtUp) {
            return "";
        }
    }

    private static LogEntryProto firstEntry(RaftStoreNode node, String group) throws Exception {
        return division(node, group).getRaftLog().get(0);
    }

    private static RaftServer.Division division(RaftStoreNode node, String group) throws IOException {
        return node.raftServer().getDivision(StoreGroups.groupId(group));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
