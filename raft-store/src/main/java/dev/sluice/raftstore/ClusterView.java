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
     */
    public record NodeView(String id, String raftAddress, String httpUrl, NodeState state) {
    }

    /**
     * @param members voting member ids, sorted
     * @param leader the leader this node knows of, or null during an election
     * @param appliedIndex the last log index applied by this node's replica (-1 before any, or if it hosts none)
     * @param followerLag when this node leads the group: per follower, how many log entries it is behind this
     *                    replica's applied index (0 when caught up), sorted by id; empty on a follower, which cannot
     *                    know (ask the leader's node)
     */
    public record GroupView(String name, List<String> members, String leader, long appliedIndex,
            java.util.SortedMap<String, Long> followerLag) {
        public GroupView {
            members = List.copyOf(members);
            followerLag = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(followerLag));
        }

        public GroupView(String name, List<String> members, String leader, long appliedIndex) {
            this(name, members, leader, appliedIndex, new java.util.TreeMap<>());
        }
    }
}
