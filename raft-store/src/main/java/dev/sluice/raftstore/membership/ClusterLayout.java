package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster as operators want it, stored in the catalog group ({@link LayoutStore}): the nodes and, per Raft
 * group, the members it should have and the member that should lead it. The {@link MembershipController}
 * reconciles the actual Raft memberships to it; every operator command is a change of this record.
 *
 * @param nodes every node, sorted by id
 * @param groups the catalog group first, then the data groups in index order
 */
public record ClusterLayout(List<Node> nodes, List<Group> groups) {
    /** Replicas of a data group unless an operator chose otherwise (capped at the number of nodes). */
    public static final int DEFAULT_REPLICATION_FACTOR = 3;
    /** A factor that follows the cluster: the group lives on every active node (the catalog group always does). */
    public static final int EVERY_NODE = 0;

    public ClusterLayout {
        nodes = nodes.stream().sorted(java.util.Comparator.comparing(Node::id)).toList();
        groups = List.copyOf(groups);
    }

    /** What a node is for: {@code ACTIVE} holds replicas; the others are being emptied. */
    public enum NodeState {
        ACTIVE,
        /** Removal requested: its replicas move away, then the node record goes. */
        LEAVING,
        /** Its disk was lost: it leaves every group, then becomes ACTIVE again and is re-added as a fresh replica. */
        REPLACING
    }

    /** @param httpUrl the node's HTTP base URL, or "" when not known */
    public record Node(String id, String host, int port, String httpUrl, NodeState state) {
        public Node {
            new Peer(id, host, port); // validates id, host and port
            httpUrl = httpUrl == null ? "" : httpUrl;
        }

        public Peer peer() {
            return new Peer(id, host, port);
        }

        Node withState(NodeState newState) {
            return new Node(id, host, port, httpUrl, newState);
        }

        Node withUrl(String url) {
            return new Node(id, host, port, url, state);
        }
    }

    /**
     * @param factor replicas wanted (data groups); the catalog group lives on every active node and keeps 0 here
     * @param members desired member ids, sorted
     * @param preferredLeader the member that should lead it, or "" for none (the catalog group)
     */
    public record Group(String name, int factor, List<String> members, String preferredLeader) {
        public Group {
            members = members.stream().sorted().distinct().toList();
            preferredLeader = preferredLeader == null ? "" : preferredLeader;
        }

        Group withMembers(List<String> newMembers) {
            return new Group(name, factor, newMembers, preferredLeader);
        }

        Group withPreferredLeader(String leader) {
            return new Group(name, factor, members, leader);
        }

        Group withFactor(int newFactor) {
            return new Group(name, newFactor, members, preferredLeader);
        }
    }

    public Optional<Node> node(String id) {
        return nodes.stream().filter(node -> node.id().equals(id)).findFirst();
    }

    public Optional<Group> group(String name) {
        return groups.stream().filter(group -> group.name().equals(name)).findFirst();
    }

    /** Ids of the nodes that hold replicas, sorted. */
    public List<String> activeNodeIds() {
        return nodes.stream().filter(node -> node.state() == NodeState.ACTIVE).map(Node::id).toList();
    }

    ClusterLayout withNode(Node changed) {
        List<Node> next = new ArrayList<>(nodes.stream().filter(node -> !node.id().equals(changed.id())).toList());
        next.add(changed);
        return new ClusterLayout(next, groups);
    }

    ClusterLayout withoutNode(String id) {
        return new ClusterLayout(nodes.stream().filter(node -> !node.id().equals(id)).toList(), groups);
    }

    ClusterLayout withGroup(Group changed) {
        return new ClusterLayout(nodes, groups.stream().map(group -> group.name().equals(changed.name()) ? changed : group)
                .toList());
    }
}
