package dev.sluice.broker.api.rest;

import dev.sluice.raftstore.ClusterView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code GET /v1/cluster}: the cluster as the answering node sees it (operator-only while access keys are
 * configured; see {@link RestOperation#operatorOnly}). {@code nodes}: id, Raft address, the HTTP URL the node
 * published, and {@code state} ({@code up}, {@code down} or {@code unknown}) from Raft's heartbeats as this
 * node's replicas see them, never from a probe. {@code groups}: name, members, leader, the applied index of
 * this node's replica, on the group's leader how many entries each follower is behind ({@code followerLag}; empty
 * elsewhere) and, for data groups, the queue count in this node's replica.
 */
public final class ClusterResource implements RestResource {
    private final Supplier<CompletableFuture<ClusterView>> view;
    private final Function<String, OptionalLong> queueCount;

    /**
     * @param view the store node's cluster view
     * @param queueCount queues in the named group per this node's replica; empty for a group without queues
     */
    public ClusterResource(Supplier<CompletableFuture<ClusterView>> view, Function<String, OptionalLong> queueCount) {
        this.view = view;
        this.queueCount = queueCount;
    }

    @Override
    public String tag() {
        return "cluster";
    }

    @Override
    public List<RestOperation> operations() {
        return List.of(new RestOperation("GET", "/cluster", "describeCluster",
                "Nodes (id, Raft address, HTTP URL, up/down as this node sees them) and Raft groups (members, leader,"
                        + " applied index, followers' lag on the leader, queue count), for operators",
                List.of(), null, Map.of(200, "{nodes: [...], groups: [...]}", 403, "AccessDenied (not an operator key)"),
                request -> view.get().thenApply(cluster -> RestResponse.json(200, render(cluster)))));
    }

    private Map<String, Object> render(ClusterView cluster) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (ClusterView.NodeView node : cluster.nodes()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", node.id());
            entry.put("raftAddress", node.raftAddress());
            entry.put("httpUrl", node.httpUrl());
            entry.put("state", node.state().name().toLowerCase(Locale.ROOT));
            nodes.add(entry);
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ClusterView.GroupView group : cluster.groups()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", group.name());
            entry.put("members", group.members());
            entry.put("leader", group.leader());
            entry.put("appliedIndex", group.appliedIndex());
            entry.put("followerLag", group.followerLag());
            OptionalLong queues = queueCount.apply(group.name());
            if (queues.isPresent()) {
                entry.put("queueCount", queues.getAsLong());
            }
            groups.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nodes", nodes);
        body.put("groups", groups);
        return body;
    }
}
