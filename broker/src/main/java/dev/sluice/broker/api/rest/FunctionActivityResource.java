package dev.sluice.broker.api.rest;

import dev.sluice.faasbridge.core.AccountScope;
import dev.sluice.faasbridge.service.BridgeActivity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /v1/function-activity}: what the function bridges of the whole cluster are doing (the Functions page reads
 * it): per function the invocations in flight, invocations, errors, throttles and partial failures summed over the
 * nodes, and the mappings' recent errors of every node, newest first, each with the node and time, plus the nodes that
 * did not answer. {@code GET /v1/function-activity/node}: this node's part, which the serving node asks every other
 * node for. Both are signed API calls like the rest of {@code /v1} (error messages may quote a function's answer):
 * nodes sign theirs with a configured key (see {@code ops.PeerSigner}). The cluster's view shows the caller's own
 * functions and mappings ({@link RestAccountScopes}); the node's part is the whole node's.
 */
public final class FunctionActivityResource implements RestResource {
    public static final String NODE_PATH = "/function-activity/node";

    private final FunctionActivitySource source;
    private final RestAccountScopes scopes;
    private final java.util.function.Function<AccountScope, CompletableFuture<java.util.Set<String>>> mappings;

    /**
     * @param scopes whose functions a request sees
     * @param mappings the UUIDs of the mappings a scope sees (whose recent errors it is shown)
     */
    public FunctionActivityResource(FunctionActivitySource source, RestAccountScopes scopes,
            java.util.function.Function<AccountScope, CompletableFuture<java.util.Set<String>>> mappings) {
        this.source = source;
        this.scopes = scopes;
        this.mappings = mappings;
    }

    @Override
    public String tag() {
        return "functions";
    }

    @Override
    public List<RestOperation> operations() {
        String function = "{function: {Concurrency, Invocations, Errors, Throttles, PartialFailures, SourceAgeSeconds}}";
        return List.of(
                new RestOperation("GET", "/function-activity", "getFunctionActivity",
                        "The function bridges' numbers per function summed over the nodes, and their recent errors",
                        List.of(), null, Map.of(200, "{Functions: " + function + ", RecentErrors: [{At, Node, MappingUuid, "
                                + "Message}], UnansweredNodes: [node id]}"), this::cluster),
                new RestOperation("GET", NODE_PATH, "getNodeFunctionActivity",
                        "This node's function bridge: its numbers per function and recent errors", List.of(), null,
                        Map.of(200, "{Node, Functions: " + function + ", RecentErrors: [{At, MappingUuid, Message}]}"),
                        request -> CompletableFuture.completedFuture(RestResponse.json(200, node(source.nodeId(),
                                source.local())))));
    }

    /**
     * The caller's functions' numbers, by the names its function list shows (an operator listing every account's: the
     * stored names, {@code account/name} beyond the default account), and its mappings' recent errors.
     */
    private CompletableFuture<RestResponse> cluster(RestRequest request) {
        AccountScope scope = scopes.of(request);
        return source.cluster().thenCombine(mappings.apply(scope), (answer, visible) -> {
            java.util.SortedMap<String, BridgeActivity.FunctionNumbers> shown = new java.util.TreeMap<>();
            answer.functions().forEach((name, numbers) -> {
                if (scope.sees(name)) {
                    shown.put(scope.everyAccount() ? name : AccountScope.bare(name), numbers);
                }
            });
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Functions", functions(shown));
            body.put("RecentErrors", answer.recentErrors().stream()
                    .filter(error -> visible.contains(error.error().mappingUuid())).map(error -> {
                Map<String, Object> entry = error(error.error());
                entry.put("Node", error.node());
                return entry;
            }).toList());
            body.put("UnansweredNodes", answer.unansweredNodes());
            return RestResponse.json(200, body);
        });
    }

    /** The node endpoint's body; {@code ops.ClusterFunctionActivity} reads it back. */
    private static Map<String, Object> node(String nodeId, BridgeActivity activity) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Node", nodeId);
        body.put("Functions", functions(activity.functions()));
        body.put("RecentErrors", activity.recentErrors().stream().map(FunctionActivityResource::error).toList());
        return body;
    }

    private static Map<String, Object> functions(Map<String, BridgeActivity.FunctionNumbers> functions) {
        Map<String, Object> out = new LinkedHashMap<>();
        functions.forEach((name, numbers) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Concurrency", numbers.concurrency());
            entry.put("Invocations", numbers.invocations());
            entry.put("Errors", numbers.errors());
            entry.put("Throttles", numbers.throttles());
            entry.put("PartialFailures", numbers.partialFailures());
            entry.put("SourceAgeSeconds", numbers.sourceAgeMillis() / 1000.0);
            out.put(name, entry);
        });
        return out;
    }

    private static Map<String, Object> error(BridgeActivity.MappingError error) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("At", error.at().toString());
        entry.put("MappingUuid", error.mappingUuid());
        entry.put("Message", error.message());
        return entry;
    }
}
