package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.membership.ClusterChangeRefusedException.Reason;
import java.util.List;

/**
 * The operator commands as pure functions from a layout to the next one (already {@link Placement#plan planned}).
 * Each is idempotent: applied to its own result it changes nothing. A change that cannot be made throws
 * {@link ClusterChangeRefusedException} with the reason the operator needs.
 */
final class LayoutChanges {
    private LayoutChanges() {
    }

    static ClusterLayout addNode(ClusterLayout layout, ClusterLayout.Node node) {
        var existing = layout.node(node.id());
        if (existing.isPresent()) {
            ClusterLayout.Node known = existing.get();
            if (!known.host().equals(node.host()) || known.port() != node.port()) {
                throw new ClusterChangeRefusedException(Reason.CONFLICT, "node " + node.id() + " already exists with Raft address "
                        + known.peer().address() + "; remove it first, or start the new node under another id");
            }
            if (known.state() == ClusterLayout.NodeState.LEAVING) {
                throw new ClusterChangeRefusedException(Reason.CONFLICT, "node " + node.id()
                        + " is being removed; add it again once it has left");
            }
            return Placement.plan(node.httpUrl().isEmpty() ? layout : layout.withNode(known.withUrl(node.httpUrl())));
        }
        layout.nodes().stream().filter(other -> other.peer().address().equals(node.peer().address())).findFirst()
                .ifPresent(other -> {
                    throw new ClusterChangeRefusedException(Reason.CONFLICT, "Raft address " + node.peer().address()
                            + " belongs to node " + other.id());
                });
        return Placement.plan(layout.withNode(node.withState(ClusterLayout.NodeState.ACTIVE)));
    }

    /** Marks the node leaving; refused when the nodes left could not hold every group's replicas. */
    static ClusterLayout removeNode(ClusterLayout layout, String id) {
        var existing = layout.node(id);
        if (existing.isEmpty() || existing.get().state() == ClusterLayout.NodeState.LEAVING) {
            return layout;
        }
        long remaining = layout.activeNodeIds().stream().filter(other -> !other.equals(id)).count();
        int widest = layout.groups().stream().filter(group -> !StoreGroups.CATALOG.equals(group.name()))
                .mapToInt(group -> Math.max(1, group.factor())).max().orElse(1);
        if (remaining < 1 || remaining < widest) {
            throw new ClusterChangeRefusedException(Reason.CONFLICT, "removing " + id + " would leave " + remaining
                    + " node(s) for groups with replication factor " + widest
                    + "; add a node first or lower the groups' replication factor");
        }
        return Placement.plan(layout.withNode(existing.get().withState(ClusterLayout.NodeState.LEAVING)));
    }

    /** The node lost its disk: it leaves every group and is then re-added as a fresh replica under the same id. */
    static ClusterLayout replaceNode(ClusterLayout layout, String id) {
        ClusterLayout.Node node = layout.node(id).orElseThrow(() -> notFound("node", id));
        switch (node.state()) {
            case REPLACING:
                return layout;
            case LEAVING:
                throw new ClusterChangeRefusedException(Reason.CONFLICT, "node " + id + " is being removed");
            default:
                break;
        }
        if (layout.activeNodeIds().size() < 2) {
            throw new ClusterChangeRefusedException(Reason.CONFLICT, "node " + id + " is the only node; nothing to copy from");
        }
        return Placement.plan(layout.withNode(node.withState(ClusterLayout.NodeState.REPLACING)));
    }

    /**
     * Makes {@code nodeId} the group's preferred leader. To keep leaders spread, a group that preferred this
     * node and holds a replica on the group's former preferred leader swaps with it.
     */
    static ClusterLayout preferLeader(ClusterLayout layout, String groupName, String nodeId) {
        ClusterLayout.Group group = dataGroup(layout, groupName);
        if (!group.members().contains(nodeId)) {
            throw new ClusterChangeRefusedException(Reason.INVALID, "node " + nodeId + " holds no replica of " + groupName
                    + " (members: " + String.join(", ", group.members()) + ")");
        }
        if (group.preferredLeader().equals(nodeId)) {
            return layout;
        }
        String former = group.preferredLeader();
        ClusterLayout next = layout.withGroup(group.withPreferredLeader(nodeId));
        for (ClusterLayout.Group other : next.groups()) {
            if (!other.name().equals(groupName) && other.preferredLeader().equals(nodeId) && other.members().contains(former)) {
                next = next.withGroup(other.withPreferredLeader(former));
                break;
            }
        }
        return next;
    }

    static ClusterLayout setReplicationFactor(ClusterLayout layout, String groupName, int factor) {
        ClusterLayout.Group group = dataGroup(layout, groupName);
        int nodes = layout.activeNodeIds().size();
        if (factor < 1 || factor > nodes) {
            throw new ClusterChangeRefusedException(Reason.INVALID, "replication factor must be between 1 and the " + nodes
                    + " active node(s): " + factor);
        }
        return Placement.plan(layout.withGroup(group.withFactor(factor)));
    }

    private static ClusterLayout.Group dataGroup(ClusterLayout layout, String groupName) {
        ClusterLayout.Group group = layout.group(groupName).orElseThrow(() -> notFound("group", groupName));
        if (StoreGroups.CATALOG.equals(groupName)) {
            throw new ClusterChangeRefusedException(Reason.INVALID,
                    "the catalog group lives on every node and its leader is not placed; name a data group");
        }
        return group;
    }

    private static ClusterChangeRefusedException notFound(String kind, String name) {
        return new ClusterChangeRefusedException(Reason.NOT_FOUND, "no " + kind + " named " + name);
    }

    /** The layout a cluster starts from: its configured nodes, every group on them, then placement. */
    static ClusterLayout initial(List<ClusterLayout.Node> nodes, List<String> groupNames) {
        return initial(nodes, groupNames, ClusterLayout.DEFAULT_REPLICATION_FACTOR);
    }

    /**
     * The first layout of a cluster formed by these configured members, without their URLs (not published yet): what
     * every node computes alike, before the controller stores the layout.
     */
    static ClusterLayout initial(List<Peer> members, int dataGroups, int factor) {
        List<ClusterLayout.Node> nodes = members.stream()
                .map(peer -> new ClusterLayout.Node(peer.id(), peer.host(), peer.port(), "", ClusterLayout.NodeState.ACTIVE))
                .toList();
        return initial(nodes, StoreGroups.names(dataGroups), factor);
    }

    /** The same with {@code factor} replicas per data group ({@link ClusterLayout#EVERY_NODE} for all nodes). */
    static ClusterLayout initial(List<ClusterLayout.Node> nodes, List<String> groupNames, int factor) {
        List<String> ids = nodes.stream().map(ClusterLayout.Node::id).sorted().toList();
        // data-i prefers the i-th node, as LeadershipBalancer did before layouts: a cluster keeps its leaders.
        List<ClusterLayout.Group> groups = new java.util.ArrayList<>();
        for (int i = 0; i < groupNames.size(); i++) {
            String name = groupNames.get(i);
            boolean catalog = StoreGroups.CATALOG.equals(name);
            groups.add(new ClusterLayout.Group(name, catalog ? 0 : factor, ids,
                    catalog ? "" : ids.get((i - 1) % ids.size())));
        }
        return Placement.plan(new ClusterLayout(nodes, groups));
    }
}
