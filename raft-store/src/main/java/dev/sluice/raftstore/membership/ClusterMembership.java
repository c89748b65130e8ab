package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.catalog.Catalog;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.ratis.server.RaftServer;

/**
 * One node's part in the cluster's membership: the {@link MembershipController} (acting while this node leads
 * the catalog), the {@link ReplicaWorker} (this node's own replicas) and the operator commands, which change the
 * stored {@link ClusterLayout} and leave the moves to the controller. Every command completes once the change is
 * stored, not when the moves are done ({@code GET /v1/cluster} shows those), and is idempotent.
 *
 * <p>Threads: the workers run on one daemon thread of their own; the commands are safe from any thread.
 */
public final class ClusterMembership implements AutoCloseable {
    /** How often the controller and the replica worker look. */
    static final Duration PASS_INTERVAL = Duration.ofSeconds(1);

    private final LayoutStore store;
    private final MembershipController controller;
    private final ReplicaWorker replicas;
    /** Answers {@link #actualMemberships} (blocking RPCs) off the workers' and callers' threads. */
    private final ExecutorService viewer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "raft-store-membership-view");
        thread.setDaemon(true);
        return thread;
    });
    private final MembershipClient viewClient = new MembershipClient();
    private final ScheduledExecutorService workers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "raft-store-membership");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param initialNodes the nodes a cluster forms with (this node's configured peers), for the first layout
     * @param dataGroups the number of data groups
     * @param leadsCatalog true while this node is the catalog group's ready leader
     * @param catalogServes true while enough of the catalog's members vote for it to serve (it refuses commands before)
     * @param onReplicaRemoved called with a group's name after this node's replica of it was removed
     * @param staleAfter a member not heard from this long counts as down
     * @param timeout how long one remote call may take
     * @param missingAtStart the groups this node found no replica of at start and did not found: it creates each once
     *     the group's leader confirms this node is not a member ({@link FreshReplicaGate})
     * @param seeds the configured members, asked for a group's leader before this node holds a layout
     */
    public ClusterMembership(RaftServer server, Catalog catalog, Supplier<List<ClusterLayout.Node>> initialNodes, int dataGroups,
            int replicationFactor, BooleanSupplier leadsCatalog, BooleanSupplier catalogServes, Consumer<String> onReplicaRemoved,
            Duration staleAfter, Duration timeout, Set<String> missingAtStart, List<Peer> seeds) {
        this.store = new LayoutStore(catalog);
        List<String> names = StoreGroups.names(dataGroups);
        this.controller = new MembershipController(leadsCatalog, catalogServes, store, server.getId().toString(), () -> LayoutChanges.initial(initialNodes.get(), names, replicationFactor),
                staleAfter, timeout);
        this.replicas = new ReplicaWorker(server, store, names, onReplicaRemoved, timeout, missingAtStart, seeds);
    }


    /** Starts the workers; the first pass waits one interval (elections settle first). */
    public void start() {
        long interval = PASS_INTERVAL.toMillis();
        workers.scheduleWithFixedDelay(replicas, interval, interval, TimeUnit.MILLISECONDS);
        workers.scheduleWithFixedDelay(controller, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** The layout this node last read from its own catalog replica, if any. */
    public Optional<ClusterLayout> localLayout() {
        return Optional.ofNullable(replicas.layout());
    }

    /**
     * The groups this node has no replica of yet and waits to create one, each with the reason (a wiped node waits
     * for {@code node-replace}).
     */
    public Map<String, String> waitingReplicas() {
        return replicas.waitingReplicas();
    }

    /** The committed layout (linearizable read through the catalog's leader). */
    public CompletableFuture<Optional<ClusterLayout>> layout() {
        return store.read();
    }

    /** Adds a node (idempotent for the same id and address); it then receives replicas until balanced. */
    public CompletableFuture<ClusterLayout> addNode(String id, String host, int port, String httpUrl) {
        ClusterLayout.Node node = new ClusterLayout.Node(id, host, port, httpUrl, ClusterLayout.NodeState.ACTIVE);
        return store.update(layout -> LayoutChanges.addNode(layout, node));
    }

    /** Moves the node's replicas away, then drops it; refused when the rest could not hold every group. */
    public CompletableFuture<ClusterLayout> removeNode(String id) {
        return store.update(layout -> LayoutChanges.removeNode(layout, id));
    }

    /** Takes the node (its disk lost) out of every group, then re-adds it as a fresh replica under the same id. */
    public CompletableFuture<ClusterLayout> replaceNode(String id) {
        return store.update(layout -> LayoutChanges.replaceNode(layout, id));
    }

    /** Makes {@code nodeId} the group's preferred leader; each leader hands the group over within seconds. */
    public CompletableFuture<ClusterLayout> preferLeader(String group, String nodeId) {
        return store.update(layout -> LayoutChanges.preferLeader(layout, group, nodeId));
    }

    public CompletableFuture<ClusterLayout> setReplicationFactor(String group, int factor) {
        return store.update(layout -> LayoutChanges.setReplicationFactor(layout, group, factor));
    }

    /**
     * The actual memberships of these groups, asked of their leaders on a thread of its own (for views of groups
     * this node does not host); a group whose leader does not answer is left out.
     */
    public CompletableFuture<Map<String, GroupMembership>> actualMemberships(List<String> groups) {
        if (groups.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return CompletableFuture.supplyAsync(() -> {
            Map<String, GroupMembership> found = new LinkedHashMap<>();
            localLayout().ifPresent(layout -> {
                viewClient.useNodes(layout.nodes().stream().map(ClusterLayout.Node::peer).toList());
                List<String> candidates = layout.nodes().stream().map(ClusterLayout.Node::id).toList();
                groups.forEach(group -> viewClient.membership(group, candidates).ifPresent(actual -> found.put(group, actual)));
            });
            return found;
        }, viewer);
    }

    @Override
    public void close() {
        viewer.shutdownNow();
        viewClient.close();
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        controller.close();
        replicas.close();
    }
}
