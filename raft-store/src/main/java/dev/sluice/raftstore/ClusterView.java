package dev.sluice.raftstore;

import java.util.List;

/**
 * The cluster as one node sees it: its peers and every Raft group it hosts. A snapshot for operators (the
 * broker renders it as {@code GET /v1/cluster}); nothing in it is linearizable.
 *
 * @param nodes every configured member, in configuration order
 * @param groups the catalog group, then the data groups in index order
 */
public record ClusterView(List<NodeView> nodes, List<GroupView> groups) {
    public ClusterView {
        nodes = List.copyOf(nodes);
        groups = List.copyOf(groups);
    }

    /** Whether a peer answers Raft traffic, as this node's divisions see it ({@link PeerLiveness}). */
    public enum NodeState {
        UP, DOWN,
        /** No division on this node exchanges heartbeats with that peer (it leads none of them, nor follows it). */
        UNKNOWN
    }

    /**
     * @param raftAddress host:port of its Raft (gRPC) server
     * @param httpUrl the base URL the node published into the catalog at start, or null before it did
     * @param role {@code active} (holds replicas), {@code leaving} or {@code replacing} (being emptied), per the layout
     * @param featureLevel the {@link FeatureLevel} the node published, {@link FeatureLevel#BASELINE} before it did
     */
    public record NodeView(String id, String raftAddress, String httpUrl, NodeState state, String role, int featureLevel) {
        /** A node that has not published a feature level. */
        public NodeView(String id, String raftAddress, String httpUrl, NodeState state, String role) {
            this(id, raftAddress, httpUrl, state, role, FeatureLevel.BASELINE);
        }
    }

    /** The cluster's effective feature level as this view shows it: the lowest any node published ({@link ClusterFeatures}). */
    public int effectiveFeatureLevel() {
        return ClusterFeatures.effective(nodes.stream().map(NodeView::id).toList(),
                nodes.stream().collect(java.util.stream.Collectors.toMap(NodeView::id, NodeView::featureLevel, Math::min)));
    }

    /**
     * @param members voting member ids, sorted
     * @param leader the leader this node knows of, or null during an election
     * @param appliedIndex the last log index applied by this node's replica (-1 before any, or if it hosts none)
     * @param listeners non-voting members (Ratis listeners); a replica being added is staged by Ratis outside the
     *     configuration, so it shows only in {@code desiredMembers} until it votes
     * @param desiredMembers the members the layout wants; differs from {@code members} while a move is under way
     * @param preferredLeader the member the layout wants to lead, or "" for none
     * @param replicationFactor replicas the layout wants (0 for the catalog group: every node)
     * @param followerLag when this node leads the group: per follower, how many log entries it is behind this
     *     replica's applied index (0 when caught up), sorted by id; empty on a follower, which cannot know (ask the
     *     leader's node)
     */
    public record GroupView(String name, List<String> members, String leader, long appliedIndex, List<String> listeners,
            List<String> desiredMembers, String preferredLeader, int replicationFactor,
            java.util.SortedMap<String, Long> followerLag) {
        public GroupView {
            members = List.copyOf(members);
            listeners = List.copyOf(listeners);
            desiredMembers = List.copyOf(desiredMembers);
            followerLag = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(followerLag));
        }

        /** True while the actual membership is not yet the desired one. */
        public boolean moving() {
            return !listeners.isEmpty() || !members.equals(desiredMembers);
        }

        public GroupView withDesired(List<String> desired, String preferred, int factor) {
            return new GroupView(name, members, leader, appliedIndex, listeners, desired, preferred, factor, followerLag);
        }
    }
}
