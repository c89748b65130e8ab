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
 * {@code GET /v1/function-activity/node}, signed ({@link PeerRequests}). Counts are summed, the recent errors merged newest
 * first (each tagged with its node) and cut to {@link BridgeActivity#MAX_RECENT_ERRORS}; a node that does not
 * answer in time, or answers anything but 200, is named instead of failing the page. Thread-safe, never blocks.
 */
public final class ClusterFunctionActivity implements FunctionActivitySource {
    private final Supplier<BridgeActivity> local;
    private final PeerRequests peers;

    /** @param view the cluster's nodes with their HTTP URLs */
    public ClusterFunctionActivity(String selfId, Supplier<BridgeActivity> local, Supplier<CompletableFuture<ClusterView>> view,
            WebClient web, PeerSigner signer) {
        this.local = local;
        this.peers = new PeerRequests(selfId, view, web, signer);
    }

    @Override
    public String nodeId() {
        return peers.selfId();
    }

    @Override
    public BridgeActivity local() {
        return local.get();
    }

    @Override
    public CompletableFuture<Answer> cluster() {
        return peers.getFromEveryPeer("/v1" + FunctionActivityResource.NODE_PATH, ClusterFunctionActivity::parse)
                .thenApply(answers -> {
                    BridgeActivity own = local.get();
                    SortedMap<String, BridgeActivity.FunctionNumbers> sum = new TreeMap<>(own.functions());
                    List<NodeError> errors = new ArrayList<>();
                    own.recentErrors().forEach(error -> errors.add(new NodeError(peers.selfId(), error)));
                    answers.answered().forEach((node, theirs) -> {
                        theirs.functions().forEach((name, numbers) -> sum.merge(name, numbers, BridgeActivity.FunctionNumbers::plus));
                        theirs.recentErrors().forEach(error -> errors.add(new NodeError(node, error)));
                    });
                    List<NodeError> newest = errors.stream()
                            .sorted((a, b) -> BridgeActivity.NEWEST_FIRST.compare(a.error(), b.error()))
                            .limit(BridgeActivity.MAX_RECENT_ERRORS).toList();
                    return new Answer(sum, newest, answers.unanswered());
                });
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
