package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.StoreGroups;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles every group's actual Raft membership to the {@link ClusterLayout}, one step per group per pass.
 * Runs on every node but acts only while its node leads the catalog group, so one controller acts at a time
 * (two for a moment around a leader change are harmless: every membership change is a compare-and-set on
 * the configuration read in the same pass). It keeps no state between passes: each step is derived afresh
 * from the desired layout and the actual membership, so a controller that crashes mid-move is simply
 * continued by the next catalog leader. The steps, for a replica moving from node A to node B:
 * <ol>
 *   <li>once B's replica worker has created the (empty) group, B is added. Ratis stages the change: the leader
 *       first brings B up to date as a non-voting peer (log, or a snapshot when the log was purged), and only
 *       then commits the joint configuration that makes it a voter, so quorums never wait for a node that is
 *       still catching up. (Ratis 3.3.0 listeners are not used as the learner step: a listener promoted to a
 *       voter keeps being sent "initializing" appends and never starts serving.)</li>
 *   <li>then A is removed (its leadership first handed to a remaining member), only if the remaining voters
 *       the leader hears from are a majority of the new configuration.</li>
 * </ol>
 * A listener left over from elsewhere is dropped.
 * A node whose replicas have all left is then dropped (leaving) or made active again (replacing).
 *
 * <p>Threads: {@link #run} is called by one scheduler thread.
 */
public final class MembershipController implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MembershipController.class);
    /** A member this close to the commit index may take over leadership from a leaving leader. */
    static final long MAX_LAG_ENTRIES = 256;
    /** Membership changes waiting for Ratis at once; more wait in the pool's queue (one per group at most). */
    static final int MAX_PARALLEL_CHANGES = 4;

    private final BooleanSupplier leadsCatalog;
    private final BooleanSupplier catalogServes;
    private final LayoutStore store;
    private final String selfId;
    private final Supplier<ClusterLayout> initialLayout;
    private final MembershipClient client = new MembershipClient();
    /**
     * Membership changes run here, off the pass: each answers only once Ratis has committed it, after the new member
     * caught up (seconds), and the groups' changes go on side by side. At most one per group ({@link #inFlight}), so
     * at most as many as there are groups.
     */
    private final ExecutorService changes = Executors.newFixedThreadPool(MAX_PARALLEL_CHANGES, runnable -> {
        Thread thread = new Thread(runnable, "raft-store-membership-change");
        thread.setDaemon(true);
        return thread;
    });
    /** The groups with a membership change under way, each completed when its call answered. */
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final Duration staleAfter;
    private final Duration transferTimeout;

    /**
     * @param catalogServes true while the catalog has enough voting members to serve (Formation)
     * @param selfId this node's id: the controller acts on its node's catalog replica, which it leads
     */
    MembershipController(BooleanSupplier leadsCatalog, BooleanSupplier catalogServes, LayoutStore store, String selfId,
            Supplier<ClusterLayout> initialLayout, Duration staleAfter, Duration transferTimeout) {
        this.leadsCatalog = leadsCatalog;
        this.catalogServes = catalogServes;
        this.store = store;
        this.selfId = selfId;
        this.initialLayout = initialLayout;
        this.staleAfter = staleAfter;
        this.transferTimeout = transferTimeout;
    }

    @Override
    public void run() {
        try {
            if (leadsCatalog.getAsBoolean()) {
                pass();
            }
        } catch (Exception e) {
            LOG.info("membership pass did not complete ({}); the next pass retries", e.toString());
        }
    }

    private void pass() throws Exception {
        if (catalogForming()) {
            return;
        }
        Optional<ClusterLayout> stored = store.read().get(transferTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (stored.isEmpty()) {
            ClusterLayout initial = initialLayout.get();
            store.createIfAbsent(initial).get(transferTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("stored the initial cluster layout: {}", initial);
            return;
        }
        ClusterLayout layout = stored.get();
        ClusterLayout planned = Placement.plan(layout);
        if (!planned.equals(layout)) {
            store.update(Placement::plan).get(transferTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return; // reconcile against the stored plan next pass
        }
        Map<String, GroupMembership> actual = reconcile(layout);
        if (actual.size() == layout.groups().size()) {
            settleNodes(layout, actual);
        }
    }

    /**
     * While the catalog does not serve (Formation in the state machine: it is still being founded and too few of the
     * members it was founded for vote), it refuses commands and linearizable reads, the controller's own included. That
     * is only a new cluster's founding, where every group runs on its founder alone ({@link GroupFounding}) and no
     * layout is stored yet (a formed catalog never refuses again, however the layout grows). The controller then adds the members from the layout in this node's own catalog replica, which holds every layout
     * committed before this leader's term, or from the initial layout every node computes alike when it holds none;
     * it changes only Raft configurations, never the layout. Returns false when the catalog serves.
     */
    private boolean catalogForming() throws Exception {
        if (catalogServes.getAsBoolean()) {
            return false;
        }
        Optional<ClusterLayout> local = store.readReplica(selfId).get(transferTimeout.toMillis(), TimeUnit.MILLISECONDS);
        reconcile(local.orElseGet(initialLayout));
        return true;
    }

    /** One step per group towards the layout; returns the actual memberships of the groups whose leader answered. */
    private Map<String, GroupMembership> reconcile(ClusterLayout layout) {
        if (inFlight.isEmpty()) { // a new set of nodes closes the clients, and a change under way with them
            client.useNodes(layout.nodes().stream().map(ClusterLayout.Node::peer).toList());
        }
        Map<String, GroupMembership> actual = new LinkedHashMap<>();
        for (ClusterLayout.Group group : layout.groups()) {
            client.membership(group.name(), candidates(layout, group)).ifPresent(membership -> actual.put(group.name(), membership));
        }
        for (ClusterLayout.Group group : layout.groups()) {
            GroupMembership membership = actual.get(group.name());
            if (membership != null) {
                step(layout, group, membership, actual);
            }
        }
        return actual;
    }

    private static List<String> candidates(ClusterLayout layout, ClusterLayout.Group group) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        if (!group.preferredLeader().isEmpty()) {
            ids.add(group.preferredLeader());
        }
        ids.addAll(group.members());
        layout.nodes().forEach(node -> ids.add(node.id()));
        return new ArrayList<>(ids);
    }

    /** At most one membership change for the group; none while Ratis is still applying the last one. */
    private void step(ClusterLayout layout, ClusterLayout.Group group, GroupMembership actual,
            Map<String, GroupMembership> allActual) {
        if (actual.changing() || inFlight.containsKey(group.name())) {
            return;
        }
        List<String> desired = group.members();
        List<String> voters = actual.voters();
        List<String> listeners = actual.listeners();
        String name = group.name();
        try {
            Optional<String> staleListener = listeners.stream().filter(id -> !desired.contains(id)).findFirst();
            if (staleListener.isPresent()) {
                change(name, actual, voters, without(listeners, staleListener.get()), "drops listener " + staleListener.get());
                return;
            }
            Optional<String> missing = desired.stream().filter(id -> !actual.holds(id)).findFirst();
            if (missing.isPresent()) {
                if (!client.hosts(missing.get(), name)) {
                    return; // its replica worker creates the group first; Ratis could not stage a node without one
                }
                change(name, actual, with(voters, missing.get()), listeners, "adds " + missing.get());
                return;
            }
            removeOneVoter(layout, group, actual, allActual);
        } catch (IOException | RuntimeException e) {
            LOG.info("{}: membership step did not complete ({}); the next pass retries", name, e.getMessage());
        }
    }

    private void removeOneVoter(ClusterLayout layout, ClusterLayout.Group group, GroupMembership actual,
            Map<String, GroupMembership> allActual) throws IOException {
        List<String> surplus = actual.voters().stream().filter(id -> !group.members().contains(id))
                .filter(id -> !StoreGroups.CATALOG.equals(group.name()) || dataReplicasGone(layout, allActual, id)).toList();
        if (surplus.isEmpty()) {
            return;
        }
        String leaving = surplus.stream().filter(id -> !id.equals(actual.leader())).findFirst().orElse(surplus.get(0));
        List<String> remaining = without(actual.voters(), leaving);
        if (leaving.equals(actual.leader())) {
            String successor = remaining.contains(group.preferredLeader()) ? group.preferredLeader() : remaining.stream()
                    .filter(id -> actual.alive(id, staleAfter.toMillis()) && actual.caughtUp(id, MAX_LAG_ENTRIES))
                    .findFirst().orElse(null);
            if (successor != null) {
                LOG.info("{}: hands leadership to {} before {} leaves", group.name(), successor, leaving);
                client.transferLeadership(group.name(), actual, successor, transferTimeout.toMillis());
            }
            return;
        }
        // Live by Ratis's own follower progress: heard from lately and close to the commit index, so the remaining
        // voters can commit without the leaving one.
        long alive = remaining.stream()
                .filter(id -> actual.alive(id, staleAfter.toMillis()) && actual.caughtUp(id, MAX_LAG_ENTRIES)).count();
        if (alive * 2 <= remaining.size()) {
            LOG.info("{}: keeps {} for now: only {} of the remaining {} voters answer", group.name(), leaving, alive, remaining);
            return;
        }
        change(group.name(), actual, remaining, actual.listeners(), "removes " + leaving);
    }

    /**
     * Starts the change on {@link #changes} and returns: the call answers once Ratis committed it. One INFO line when it
     * starts and one when it ends, without a stack trace: a change that did not complete (a leader change, a new member
     * that stopped catching up) is routine, and the next pass derives the step again from the membership it then reads.
     */
    private void change(String group, GroupMembership actual, List<String> voters, List<String> listeners, String what) {
        LOG.info("{}: {} (voters {} -> {}, listeners {} -> {})", group, what, actual.voters(), voters, actual.listeners(),
                listeners);
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight.put(group, done);
        long started = System.nanoTime();
        try {
            changes.execute(() -> {
                try {
                    client.setMembership(group, actual, voters, listeners);
                    LOG.info("{}: {}: committed after {} ms", group, what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                } catch (IOException | RuntimeException e) {
                    LOG.info("{}: {}: did not complete after {} ms ({}); the next pass retries", group, what,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), rootCause(e));
                } finally {
                    inFlight.remove(group, done);
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException closing) {
            inFlight.remove(group, done);
        }
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == error ? error.toString() : error.getMessage() + ": " + cause;
    }

    /** Leaving nodes no group holds any more go; replacing nodes no group holds become active again. */
    private void settleNodes(ClusterLayout layout, Map<String, GroupMembership> actual) throws Exception {
        for (ClusterLayout.Node node : layout.nodes()) {
            if (node.state() == ClusterLayout.NodeState.ACTIVE || holdsAny(actual, node.id())) {
                continue;
            }
            String id = node.id();
            ClusterLayout.NodeState state = node.state();
            store.update(current -> current.node(id).filter(now -> now.state() == state)
                    .map(now -> Placement.plan(state == ClusterLayout.NodeState.LEAVING ? current.withoutNode(id)
                            : current.withNode(now.withState(ClusterLayout.NodeState.ACTIVE))))
                    .orElse(current)).get(transferTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("node {} holds no replica any more: {}", id, state == ClusterLayout.NodeState.LEAVING
                    ? "removed from the cluster" : "active again, to be re-added as a fresh replica");
        }
    }

    /**
     * A node leaves the catalog only once no data group holds it (as far as every group's leader answered): its
     * replica worker reads from its catalog replica which data replicas to remove, and could not without it.
     */
    private static boolean dataReplicasGone(ClusterLayout layout, Map<String, GroupMembership> actual, String nodeId) {
        return layout.groups().stream().filter(group -> !StoreGroups.CATALOG.equals(group.name()))
                .allMatch(group -> actual.containsKey(group.name()) && !actual.get(group.name()).holds(nodeId));
    }

    private static boolean holdsAny(Map<String, GroupMembership> actual, String nodeId) {
        return actual.values().stream().anyMatch(membership -> membership.holds(nodeId));
    }

    private static List<String> with(List<String> ids, String id) {
        List<String> result = new ArrayList<>(ids);
        if (!result.contains(id)) {
            result.add(id);
        }
        return result.stream().sorted().toList();
    }

    private static List<String> without(List<String> ids, String id) {
        return ids.stream().filter(each -> !each.equals(id)).toList();
    }

    void close() {
        changes.shutdownNow();
        client.close(); // fails any change still waiting for Ratis
    }

}
