package dev.sluice.broker.api.rest;

import dev.sluice.broker.api.rest.RestOperation.Body;
import dev.sluice.broker.service.EngineQueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.json.JsonBodyReader;
import dev.sluice.raftstore.ClusterView;
import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.membership.ClusterChangeRefusedException;
import dev.sluice.raftstore.membership.ClusterLayout;
import dev.sluice.raftstore.membership.ClusterMembership;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The cluster for operators (operator-only while access keys are configured; see {@link RestOperation#operatorOnly}).
 * {@code GET /v1/cluster}: the cluster as the answering node sees it. {@code nodes}: id, Raft address, the HTTP URL the
 * node published, {@code state} ({@code up}, {@code down} or {@code unknown}) from Raft's heartbeats as this node's
 * replicas see them (never from a probe), and {@code role} in the layout ({@code active}, {@code leaving},
 * {@code replacing}). {@code groups}: name, actual members and listeners, desired members, preferred leader, leader,
 * replication factor, whether it is {@code moving}, the applied index of this node's replica and, for data groups,
 * the queue count in this node's replica; on the group's leader, how many entries each follower is behind
 * ({@code followerLag}; empty elsewhere). {@code moves}: each group whose members are not yet the desired ones.
 *
 * <p>The changes ({@code POST /cluster/nodes}, {@code DELETE /cluster/nodes/{id}}, {@code POST
 * /cluster/nodes/{id}/replace}, {@code POST /cluster/groups/{name}/leader}, {@code PUT
 * /cluster/groups/{name}/replication}) store the new desired layout and answer with it; the membership controller
 * then moves replicas and leaders, which {@code GET /v1/cluster} shows. Each is idempotent.
 */
public final class ClusterResource implements RestResource {
    private static final JsonBodyReader READER = new JsonBodyReader(SqsError.SERIALIZATION_EXCEPTION::exception);
    private static final String LAYOUT_SHAPE = "{nodes: [{id, raftAddress, httpUrl, role}], groups: [{name, replicationFactor,"
            + " members, preferredLeader}]}: the desired layout now stored";

    private final Supplier<CompletableFuture<ClusterView>> view;
    private final Function<String, OptionalLong> queueCount;
    private final ClusterMembership membership;

    /**
     * @param view the store node's cluster view
     * @param queueCount queues in the named group per this node's replica; empty for a group without queues
     * @param membership the store node's membership commands
     */
    public ClusterResource(Supplier<CompletableFuture<ClusterView>> view, Function<String, OptionalLong> queueCount,
            ClusterMembership membership) {
        this.view = view;
        this.queueCount = queueCount;
        this.membership = membership;
    }

    @Override
    public String tag() {
        return "cluster";
    }

    @Override
    public List<RestOperation> operations() {
        Map<Integer, String> changeErrors = Map.of(200, LAYOUT_SHAPE, 400, "invalid input", 403, "AccessDenied (not an operator key)",
                404, "no such node or group", 409, "Conflict: the change cannot be made in the cluster's current state");
        return List.of(new RestOperation("GET", "/cluster", "describeCluster",
                "Nodes (id, Raft address, HTTP URL, up/down as this node sees them, role) and Raft groups (actual and desired"
                        + " members, leader, applied index, followers' lag on the leader, queue count), moves in progress, for operators",
                List.of(), null, Map.of(200, "{nodes: [...], effectiveFeatureLevel, groups: [...], moves: [...]}", 403, "AccessDenied (not an operator key)"),
                request -> view.get().thenApply(cluster -> RestResponse.json(200, render(cluster)))),
                new RestOperation("POST", "/cluster/nodes", "addClusterNode",
                        "Adds a node started empty with --join true; it receives replicas and leaderships until balanced (operator)",
                        List.of(), new Body("application/json", "{id, raftAddress: \"host:port\", httpUrl}", true), changeErrors,
                        this::addNode),
                new RestOperation("DELETE", "/cluster/nodes/{id}", "removeClusterNode",
                        "Moves the node's replicas to the other nodes, then drops it (operator)", List.of(), null, changeErrors,
                        request -> answered(membership.removeNode(request.path("id")))),
                new RestOperation("POST", "/cluster/nodes/{id}/replace", "replaceClusterNode",
                        "The node lost its disk: takes it out of every group, then re-adds it as a fresh replica once it is"
                                + " started empty with --join true under the same id (operator)", List.of(), null, changeErrors,
                        request -> answered(membership.replaceNode(request.path("id")))),
                new RestOperation("POST", "/cluster/groups/{name}/leader", "setClusterGroupLeader",
                        "Makes a member the group's preferred leader; leadership moves to it within seconds (operator)",
                        List.of(), new Body("application/json", "{nodeId}", true), changeErrors, this::preferLeader),
                new RestOperation("PUT", "/cluster/groups/{name}/replication", "setClusterGroupReplication",
                        "Sets how many replicas the data group keeps, 1 to the number of nodes (operator)", List.of(),
                        new Body("application/json", "{factor}", true), changeErrors, this::setReplication));
    }

    private CompletableFuture<RestResponse> addNode(RestRequest request) {
        var body = READER.object(request.body(), Set.of("id", "raftAddress", "httpUrl"));
        String id = required(READER.text(body, "id", "id"), "id");
        String address = required(READER.text(body, "raftAddress", "raftAddress"), "raftAddress");
        String httpUrl = READER.text(body, "httpUrl", "httpUrl");
        Peer peer;
        try {
            peer = Peer.parseList(id + "=" + address).get(0);
        } catch (IllegalArgumentException e) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("id must be 1-64 of [A-Za-z0-9_-] and raftAddress host:port: "
                    + e.getMessage());
        }
        return answered(membership.addNode(peer.id(), peer.host(), peer.port(), httpUrl == null ? "" : httpUrl));
    }

    private CompletableFuture<RestResponse> preferLeader(RestRequest request) {
        var body = READER.object(request.body(), Set.of("nodeId"));
        String nodeId = required(READER.text(body, "nodeId", "nodeId"), "nodeId");
        return answered(membership.preferLeader(request.path("name"), nodeId));
    }

    private CompletableFuture<RestResponse> setReplication(RestRequest request) {
        var body = READER.object(request.body(), Set.of("factor"));
        Integer factor = READER.integer(body, "factor", "factor");
        if (factor == null) {
            throw SqsError.MISSING_PARAMETER.exception("The request must contain the parameter factor.");
        }
        return answered(membership.setReplicationFactor(request.path("name"), factor));
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw SqsError.MISSING_PARAMETER.exception("The request must contain the parameter " + name + ".");
        }
        return value;
    }

    /** The stored layout; a refusal keeps its reason (4xx), a store that could not confirm answers 503, never 500. */
    private static CompletableFuture<RestResponse> answered(CompletableFuture<ClusterLayout> change) {
        return change.handle((layout, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof ClusterChangeRefusedException refused) {
                    throw refused;
                }
                throw EngineQueueClient.asSqsError(error);
            }
            return RestResponse.json(200, render(layout));
        });
    }

    private static Map<String, Object> render(ClusterLayout layout) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (ClusterLayout.Node node : layout.nodes()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", node.id());
            entry.put("raftAddress", node.peer().address());
            entry.put("httpUrl", node.httpUrl().isEmpty() ? null : node.httpUrl());
            entry.put("role", node.state().name().toLowerCase(Locale.ROOT));
            nodes.add(entry);
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ClusterLayout.Group group : layout.groups()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", group.name());
            entry.put("replicationFactor", group.factor());
            entry.put("members", group.members());
            entry.put("preferredLeader", group.preferredLeader().isEmpty() ? null : group.preferredLeader());
            groups.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nodes", nodes);
        body.put("groups", groups);
        return body;
    }

    private Map<String, Object> render(ClusterView cluster) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (ClusterView.NodeView node : cluster.nodes()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", node.id());
            entry.put("raftAddress", node.raftAddress());
            entry.put("httpUrl", node.httpUrl());
            entry.put("state", node.state().name().toLowerCase(Locale.ROOT));
            entry.put("role", node.role());
            entry.put("featureLevel", node.featureLevel());
            nodes.add(entry);
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        List<Map<String, Object>> moves = new ArrayList<>();
        for (ClusterView.GroupView group : cluster.groups()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", group.name());
            entry.put("members", group.members());
            entry.put("listeners", group.listeners());
            entry.put("desiredMembers", group.desiredMembers());
            entry.put("preferredLeader", group.preferredLeader().isEmpty() ? null : group.preferredLeader());
            entry.put("replicationFactor", group.replicationFactor());
            entry.put("moving", group.moving());
            entry.put("leader", group.leader());
            entry.put("appliedIndex", group.appliedIndex());
            entry.put("followerLag", group.followerLag());
            OptionalLong queues = queueCount.apply(group.name());
            if (queues.isPresent()) {
                entry.put("queueCount", queues.getAsLong());
            }
            groups.add(entry);
            if (group.moving()) {
                Map<String, Object> move = new LinkedHashMap<>();
                move.put("group", group.name());
                move.put("adding", group.desiredMembers().stream().filter(id -> !group.members().contains(id)).toList());
                move.put("removing", group.members().stream().filter(id -> !group.desiredMembers().contains(id)).toList());
                moves.add(move);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("nodes", nodes);
        // The lowest level any node published: what the cluster's proposers may use (dev.sluice.raftstore.FeatureLevel).
        body.put("effectiveFeatureLevel", cluster.effectiveFeatureLevel());
        body.put("groups", groups);
        body.put("moves", moves);
        return body;
    }
}
