package dev.sluice.broker.ops;

import dev.sluice.broker.api.rest.FunctionActivityResource;
import dev.sluice.broker.api.rest.FunctionActivitySource;
import dev.sluice.faasbridge.service.BridgeActivity;
import dev.sluice.raftstore.ClusterView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The function bridges' activity over the cluster: this node's from its bridge, every other node's from its
 * {@code GET /v1/function-activity/node} at the HTTP URL it published in the catalog, signed ({@link PeerSigner}),
 * all asked at once, each bounded by {@link #TIMEOUT_MILLIS}. Counts are summed, the recent errors merged newest
 * first (each tagged with its node) and cut to {@link BridgeActivity#MAX_RECENT_ERRORS}; a node that does not
 * answer in time, or answers anything but 200, is named instead of failing the page. Thread-safe, never blocks.
 */
public final class ClusterFunctionActivity implements FunctionActivitySource {
    /** How long a peer's answer is waited for: the console refreshes every few seconds. */
    static final long TIMEOUT_MILLIS = 2000;

    private final String selfId;
    private final Supplier<BridgeActivity> local;
    private final Supplier<CompletableFuture<ClusterView>> view;
    private final WebClient web;
    private final PeerSigner signer;

    /** @param view the cluster's nodes with their HTTP URLs */
    public ClusterFunctionActivity(String selfId, Supplier<BridgeActivity> local, Supplier<CompletableFuture<ClusterView>> view,
            WebClient web, PeerSigner signer) {
        this.selfId = selfId;
        this.local = local;
        this.view = view;
        this.web = web;
        this.signer = signer;
    }

    @Override
    public String nodeId() {
        return selfId;
    }

    @Override
    public BridgeActivity local() {
        return local.get();
    }

    @Override
    public CompletableFuture<Answer> cluster() {
        return view.get().thenCompose(cluster -> {
            List<ClusterView.NodeView> peers = cluster.nodes().stream().filter(node -> !node.id().equals(selfId)).toList();
            List<CompletableFuture<BridgeActivity>> asked = peers.stream().map(this::ask).toList();
            return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> {
                BridgeActivity own = local.get();
                SortedMap<String, BridgeActivity.FunctionNumbers> sum = new TreeMap<>(own.functions());
                List<NodeError> errors = new ArrayList<>();
                own.recentErrors().forEach(error -> errors.add(new NodeError(selfId, error)));
                List<String> unanswered = new ArrayList<>();
                for (int i = 0; i < peers.size(); i++) {
                    BridgeActivity theirs = asked.get(i).join();
                    if (theirs == null) {
                        unanswered.add(peers.get(i).id());
                        continue;
                    }
                    theirs.functions().forEach((name, numbers) -> sum.merge(name, numbers, BridgeActivity.FunctionNumbers::plus));
                    String node = peers.get(i).id();
                    theirs.recentErrors().forEach(error -> errors.add(new NodeError(node, error)));
                }
                List<NodeError> newest = errors.stream()
                        .sorted((a, b) -> BridgeActivity.NEWEST_FIRST.compare(a.error(), b.error()))
                        .limit(BridgeActivity.MAX_RECENT_ERRORS).toList();
                return new Answer(sum, newest, unanswered);
            });
        });
    }

    /** The peer's activity, or null when it has no URL yet, does not answer in time or answers something else. */
    private CompletableFuture<BridgeActivity> ask(ClusterView.NodeView peer) {
        if (peer.httpUrl() == null || peer.httpUrl().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String url = peer.httpUrl().replaceAll("/+$", "") + "/v1" + FunctionActivityResource.NODE_PATH;
        return signer.signGet(url, web.getAbs(url).timeout(TIMEOUT_MILLIS)).send().toCompletionStage().toCompletableFuture()
                .thenApply(response -> response.statusCode() == 200 ? parse(response.bodyAsJsonObject()) : null)
                .exceptionally(unreachable -> null);
    }

    /** Reads back what {@link FunctionActivityResource} wrote; null (the node counts as unanswered) when it is not that. */
    private static BridgeActivity parse(JsonObject body) {
        try {
            SortedMap<String, BridgeActivity.FunctionNumbers> functions = new TreeMap<>();
            JsonObject listed = body.getJsonObject("Functions");
            for (String name : listed.fieldNames()) {
                JsonObject numbers = listed.getJsonObject(name);
                functions.put(name, new BridgeActivity.FunctionNumbers(numbers.getLong("Concurrency"),
                        numbers.getLong("Invocations"), numbers.getLong("Errors"), numbers.getLong("Throttles"),
                        numbers.getLong("PartialFailures"), Math.round(numbers.getDouble("SourceAgeSeconds") * 1000)));
            }
            List<BridgeActivity.MappingError> errors = new ArrayList<>();
            JsonArray recent = body.getJsonArray("RecentErrors");
            for (int i = 0; i < recent.size(); i++) {
                JsonObject error = recent.getJsonObject(i);
                errors.add(new BridgeActivity.MappingError(error.getString("MappingUuid"), Instant.parse(error.getString("At")),
                        error.getString("Message")));
            }
            return new BridgeActivity(functions, errors);
        } catch (RuntimeException malformed) {
            return null;
        }
    }
}
