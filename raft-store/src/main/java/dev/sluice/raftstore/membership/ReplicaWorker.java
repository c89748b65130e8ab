package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.StoreGroups;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's replicas in line with the layout in its own catalog replica: creates a group it was assigned
 * (with no members, so it neither campaigns nor votes until the group's leader adds it and sends it the log or a
 * snapshot; and only once the group's leader confirms this node is not a member, {@link FreshReplicaGate}), and deletes the storage of a group it is no longer assigned once the group's leader confirms this
 * node is out of the membership. Both steps are idempotent and re-derived on every pass. Before this node holds a
 * layout (a new cluster, a node joining, a node whose disk was wiped), it creates the groups it found missing at start
 * the same way, asking the configured members for the group's leader.
 *
 * <p>Threads: {@link #run} is called by one scheduler thread; {@link #layout} by any.
 */
final class ReplicaWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaWorker.class);

    private final RaftServer server;
    private final String selfId;
    private final LayoutStore store;
    private final List<String> groupNames;
    private final Consumer<String> onRemoved;
    private final Duration readTimeout;
    private final MembershipClient client = new MembershipClient();
    private final FreshReplicaGate gate;
    /** Groups missing here at start and not created yet, while this node has no layout to say which it holds. */
    private final Set<String> missingAtStart;
    /** The configured members: whom to ask for a group's leader before there is a layout. */
    private final List<Peer> seeds;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private volatile ClusterLayout layout;

    /**
     * @param onRemoved called with a group's name after its replica here was removed (to drop its state files)
     * @param missingAtStart groups this node found no replica of at start and did not found itself
     * @param seeds the configured members
     */
    ReplicaWorker(RaftServer server, LayoutStore store, List<String> groupNames, Consumer<String> onRemoved, Duration readTimeout,
            Set<String> missingAtStart, List<Peer> seeds) {
        this.server = server;
        this.selfId = server.getId().toString();
        this.gate = new FreshReplicaGate(selfId);
        this.missingAtStart = ConcurrentHashMap.newKeySet();
        this.missingAtStart.addAll(missingAtStart);
        missingAtStart.forEach(gate::expect);
        this.seeds = List.copyOf(seeds);
        this.store = store;
        this.groupNames = List.copyOf(groupNames);
        this.onRemoved = onRemoved;
        this.readTimeout = readTimeout;
    }

    /** The layout this node last read from its catalog replica, or null before one was there. */
    ClusterLayout layout() {
        return layout;
    }

    /** The groups this node waits to create a replica of, each with the reason. */
    Map<String, String> waitingReplicas() {
        return gate.waiting();
    }

    @Override
    public void run() {
        try {
            Optional<ClusterLayout> read = hostedGroups().contains(StoreGroups.groupId(StoreGroups.CATALOG))
                    ? store.readReplica(selfId).get(readTimeout.toMillis(), TimeUnit.MILLISECONDS) : Optional.empty();
            if (read.isEmpty()) {
                createMissingAtStart();
                return;
            }
            ClusterLayout current = read.get();
            layout = current;
            client.useNodes(current.nodes().stream().map(ClusterLayout.Node::peer).toList());
            // Data groups first, the catalog last: this node reads its assignments from its catalog replica, so it
            // must not give that up while it still holds a data replica it has yet to remove.
            for (String name : groupNames) {
                if (!StoreGroups.CATALOG.equals(name)) {
                    current.group(name).ifPresent(group -> reconcile(current, group));
                }
            }
            current.group(StoreGroups.CATALOG).filter(catalog -> groupNames.contains(StoreGroups.CATALOG))
                    .ifPresent(catalog -> reconcile(current, catalog));
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            LOG.info("replica pass did not complete ({}); the next pass retries", cause.toString());
        }
    }

    /** Before a layout: the groups missing at start, each once its leader (asked among the configured members) allows. */
    private void createMissingAtStart() throws IOException {
        client.useNodes(seeds);
        List<String> candidates = seeds.stream().map(Peer::id).filter(id -> !id.equals(selfId)).toList();
        for (String name : groupNames) {
            if (missingAtStart.contains(name) && createFreshIfAllowed(name, candidates)) {
                missingAtStart.remove(name);
            }
        }
    }

    /**
     * Creates this node's empty replica of the group once {@link FreshReplicaGate} allows it; true when created. Empty:
     * it neither campaigns nor votes until the group's leader adds it and sends it the log or a snapshot.
     */
    private boolean createFreshIfAllowed(String name, List<String> candidates) throws IOException {
        if (gate.decide(name, client.membership(name, candidates)) != FreshReplicaGate.Verdict.CREATE) {
            return false;
        }
        RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(clientId, server.getId(),
                callIds.incrementAndGet(), StoreGroups.group(name, List.of()), true));
        if (!reply.isSuccess()) {
            throw new IOException("cannot create " + name, reply.getException());
        }
        LOG.info("{}: created an empty replica here; the group's leader adds it and sends it the data", name);
        return true;
    }

    private Set<RaftGroupId> hostedGroups() {
        Set<RaftGroupId> hosted = new HashSet<>();
        server.getGroupIds().forEach(hosted::add);
        return hosted;
    }

    private void reconcile(ClusterLayout current, ClusterLayout.Group group) {
        boolean assigned = group.members().contains(selfId);
        boolean hosted = hostedGroups().contains(StoreGroups.groupId(group.name()));
        try {
            if (assigned && !hosted) {
                // State left by an earlier replica here (a removal that did not finish) must not be reopened under the
                // new one: its applied index would be ahead of the empty log, and the replica could never catch up.
                // (A group missing at start has none, and may still be in its founding: FoundingRecord.)
                if (!missingAtStart.contains(group.name())) {
                    onRemoved.accept(group.name());
                }
                if (createFreshIfAllowed(group.name(), otherNodes(current))) {
                    missingAtStart.remove(group.name());
                }
            } else if (!assigned && hosted && mayLeave(group) && outOfMembership(current, group)) {
                remove(group.name());
                LOG.info("{}: this node left the group; removed its replica here", group.name());
            } else if (assigned && hosted && stopped(group.name()) && outOfMembership(current, group)) {
                remove(group.name()); // created again on the next pass, empty, for the leader to add
                LOG.info("{}: removed a stopped replica that no membership holds; the next pass creates it afresh",
                        group.name());
            } else if (!assigned && !hosted) {
                missingAtStart.remove(group.name());
                gate.forget(group.name());
                onRemoved.accept(group.name()); // files of a removal that did not finish (no-op when there are none)
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("{}: replica step did not complete ({}); the next pass retries", group.name(), e.getMessage());
        }
    }

    private void remove(String name) throws IOException {
        RaftClientReply reply = server.groupManagement(GroupManagementRequest.newRemove(clientId, server.getId(),
                callIds.incrementAndGet(), StoreGroups.groupId(name), true, false));
        if (!reply.isSuccess()) {
            throw new IOException("cannot remove " + name, reply.getException());
        }
        onRemoved.accept(name);
    }

    /** The catalog replica goes last: while this node hosts any data group it needs the layout to remove it. */
    private boolean mayLeave(ClusterLayout.Group group) {
        return !StoreGroups.CATALOG.equals(group.name()) || groupNames.stream().filter(name -> !StoreGroups.CATALOG.equals(name))
                .noneMatch(name -> hostedGroups().contains(StoreGroups.groupId(name)));
    }

    /** The local replica closed itself (a failed apply, a half-done removal): it serves nothing any more. */
    private boolean stopped(String name) {
        try {
            LifeCycle.State state = server.getDivision(StoreGroups.groupId(name)).getInfo().getLifeCycleState();
            return state.isClosingOrClosed() || state == LifeCycle.State.EXCEPTION;
        } catch (IOException gone) {
            return false;
        }
    }

    /** True only when the group's current leader reports a membership without this node. */
    private boolean outOfMembership(ClusterLayout current, ClusterLayout.Group group) {
        return client.membership(group.name(), otherNodes(current)).map(membership -> !membership.holds(selfId)).orElse(false);
    }

    private List<String> otherNodes(ClusterLayout current) {
        return current.nodes().stream().map(ClusterLayout.Node::id).filter(id -> !id.equals(selfId)).toList();
    }

    void close() {
        client.close();
    }
}
