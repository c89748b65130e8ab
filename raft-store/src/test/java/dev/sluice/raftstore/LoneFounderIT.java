package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.client.StoreUnavailableException;
import dev.sluice.raftstore.testing.MiniCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new cluster's founder creates its groups with itself as the only voter. Until a majority of the members the layout
 * assigns a group vote, the group serves nothing: a write acknowledged then would live on one copy. The founder alone
 * (its peers configured but never started) refuses every command and linearizable read with the retryable "not
 * formed" answer, also after a restart, and appends no command; once a second member is up, it serves.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LoneFounderIT {
    /** Short, so each refused request fails soon; the store's default is 15 s. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void aFounderWhosePeersNeverStartedRefusesEveryCommandAcrossARestartAndServesOnceAMajorityJoins() throws Exception {
        // n1 founds the catalog (the lowest id) and data-0 (its preferred leader in the initial layout).
        try (MiniCluster cluster = MiniCluster.builder().nodes(3).dataGroups(1).started(1).requestTimeout(REQUEST_TIMEOUT)
                .baseDirectory(dir).start()) {
            awaitLeadsAlone(cluster.node(0), List.of(StoreGroups.CATALOG, StoreGroups.dataGroupName(0)));
            assertRefusesEverything(cluster.node(0));

            cluster.restart(0); // its data directory says the groups exist: nothing else tells it how many members they want
            awaitLeadsAlone(cluster.node(0), List.of(StoreGroups.CATALOG, StoreGroups.dataGroupName(0)));
            assertRefusesEverything(cluster.node(0));

            cluster.restart(1); // n2 starts: the controller adds it, and two of three vote
            putUntilAcknowledged(cluster.node(0).catalog(), "formed");
            putUntilAcknowledged(new Catalog(cluster.node(0).dataGroup(0)), "formed");
            awaitReplicaValue(cluster.node(1), StoreGroups.CATALOG, cluster.node(1).catalog(), "formed");
            awaitReplicaValue(cluster.node(1), StoreGroups.dataGroupName(0), new Catalog(cluster.node(1).dataGroup(0)), "formed");
        }
    }

    private static void assertRefusesEverything(RaftStoreNode founder) throws Exception {
        for (String group : List.of(StoreGroups.CATALOG, StoreGroups.dataGroupName(0))) {
            Catalog store = StoreGroups.CATALOG.equals(group) ? founder.catalog() : new Catalog(founder.dataGroup(0));
            Throwable write = failure(store.put("ns", "k", bytes("alone")));
            assertTrue(causedBy(write, GroupNotFormedException.class), group + ": a write fails as not formed: " + write);
            assertTrue(causedBy(write, StoreUnavailableException.class), group + ": retryable (the broker's 503): " + write);
            Throwable read = failure(store.get("ns", "k"));
            assertTrue(causedBy(read, StoreUnavailableException.class), group + ": a linearizable read fails: " + read);
            assertEquals(List.of(), commandsInLog(founder, group), group + ": commands in the founder's log");
            assertFalse(founder.health().ready(), "a founder alone is not ready");
            assertTrue(founder.health().problems().get(group).contains("vote"), group + ": " + founder.health().problems());
        }
    }

    /** Waits until the node leads each group as its only voter, ready (its first entry committed). */
    private static void awaitLeadsAlone(RaftStoreNode node, List<String> groups) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String group : groups) {
            while (true) {
                RaftServer.Division division = node.raftServer().getDivision(StoreGroups.groupId(group));
                if (division.getInfo().isLeaderReady() && division.getRaftConf().getCurrentPeers().size() == 1) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail(group + " never led by the founder alone; voters " + division.getRaftConf().getCurrentPeers());
                }
                Thread.sleep(50);
            }
        }
    }

    private static Throwable failure(CompletableFuture<?> request) throws Exception {
        try {
            Object answer = request.get(REQUEST_TIMEOUT.multipliedBy(3).toSeconds(), TimeUnit.SECONDS);
            return fail("answered " + answer + " without a majority");
        } catch (ExecutionException expected) {
            return expected.getCause();
        }
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** Indexes of the entries in the node's log of the group that carry a command (not Raft's own entries). */
    private static List<Long> commandsInLog(RaftStoreNode node, String group) throws Exception {
        RaftLog log = node.raftServer().getDivision(StoreGroups.groupId(group)).getRaftLog();
        List<Long> commands = new java.util.ArrayList<>();
        for (long index = log.getStartIndex(); index <= log.getLastEntryTermIndex().getIndex(); index++) {
            if (log.get(index).hasStateMachineLogEntry()) {
                commands.add(index);
            }
        }
        return commands;
    }

    private static void putUntilAcknowledged(Catalog store, String value) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                store.put("ns", "k", bytes(value)).get(30, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("never acknowledged once a majority was up", notYet);
                }
            }
        }
    }

    /** Waits until the node's own replica of the group holds the value (a replica read, no leader involved). */
    private static void awaitReplicaValue(RaftStoreNode node, String group, Catalog store, String value) throws Exception {
        String nodeId = node.config().nodeId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Optional<byte[]> held;
            try {
                held = store.getReplica(nodeId, "ns", "k").get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException notCaughtUp) {
                held = Optional.empty();
            }
            if (held.isPresent() && new String(held.get(), StandardCharsets.UTF_8).equals(value)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                RaftServer.Division division = node.raftServer().getDivision(StoreGroups.groupId(group));
                fail(nodeId + "'s replica of " + group + " never applied the write acknowledged on a majority; voters "
                        + division.getRaftConf() + ", commit " + division.getRaftLog().getLastCommittedIndex() + ", applied "
                        + division.getStateMachine().getLastAppliedTermIndex());
            }
            Thread.sleep(100);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
