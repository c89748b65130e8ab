package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.StoreGroups;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
 * snapshot), and deletes the storage of a group it is no longer assigned once the group's leader confirms this
 * node is out of the membership. Both steps are idempotent and re-derived on every pass.
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
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private volatile ClusterLayout layout;

    /** @param onRemoved called with a group's name after its replica here was removed (to drop its state files) */
    ReplicaWorker(RaftServer server, LayoutStore store, List<String> groupNames, Consumer<String> onRemoved, Duration readTimeout) {
        this.server = server;
        this.selfId = server.getId().toString();
        this.store = store;
        this.groupNames = List.copyOf(groupNames);
        this.onRemoved = onRemoved;
        this.readTimeout = readTimeout;
    }

    /** The layout this node last read from its catalog replica, or null before one was there. */
    ClusterLayout layout() {
        return layout;
    }

    @Override
    public void run() {
        try {
            Optional<ClusterLayout> read = hostedGroups().contains(StoreGroups.groupId(StoreGroups.CATALOG))
                    ? store.readReplica(selfId).get(readTimeout.toMillis(), TimeUnit.MILLISECONDS) : Optional.empty();
            if (read.isEmpty()) {
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
                onRemoved.accept(group.name());
                RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(clientId, server.getId(),
                        callIds.incrementAndGet(), StoreGroups.group(group.name(), List.of()), true));
                if (!reply.isSuccess()) {
                    throw new IOException("cannot create " + group.name(), reply.getException());
                }
                LOG.info("{}: created an empty replica here; the group's leader adds it and sends it the data", group.name());
            } else if (!assigned && hosted && mayLeave(group) && outOfMembership(current, group)) {
                remove(group.name());
                LOG.info("{}: this node left the group; removed its replica here", group.name());
            } else if (assigned && hosted && stopped(group.name()) && outOfMembership(current, group)) {
                remove(group.name()); // created again on the next pass, empty, for the leader to add
                LOG.info("{}: removed a stopped replica that no membership holds; the next pass creates it afresh",
                        group.name());
            } else if (!assigned && !hosted) {
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
        List<String> candidates = current.nodes().stream().map(ClusterLayout.Node::id).filter(id -> !id.equals(selfId)).toList();
        return client.membership(group.name(), candidates).map(membership -> !membership.holds(selfId)).orElse(false);
    }

    void close() {
        client.close();
    }
}
