package dev.sluice.broker.ops;

import dev.sluice.broker.api.rest.SubscriptionFailures;
import dev.sluice.broker.api.rest.TopicCatalogResource;
import dev.sluice.notify.service.DeliveryHealth;
import dev.sluice.raftstore.ClusterView;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The other nodes' failing subscriptions, read from their signed {@code GET /v1/subscription-failures/node}
 * ({@link PeerRequests}): per subscription the failure with the latest attempt. Thread-safe, never blocks.
 */
public final class ClusterSubscriptionFailures implements SubscriptionFailures {
    private final PeerRequests peers;

    public ClusterSubscriptionFailures(String selfId, Supplier<CompletableFuture<ClusterView>> view, WebClient web,
            PeerSigner signer) {
        this.peers = new PeerRequests(selfId, view, web, signer);
    }

    @Override
    public CompletableFuture<Map<String, NodeFailure>> elsewhere() {
        return peers.getFromEveryPeer("/v1" + TopicCatalogResource.FAILURES_NODE_PATH, ClusterSubscriptionFailures::parse)
                .thenApply(answers -> {
                    Map<String, NodeFailure> latest = new TreeMap<>();
                    answers.answered().forEach((node, failures) -> failures.forEach((id, failure) ->
                            latest.merge(id, new NodeFailure(node, failure), (a, b) ->
                                    b.failure().last().isAfter(a.failure().last()) ? b : a)));
                    return latest;
                });
    }

    /** Reads back what {@link TopicCatalogResource} wrote; null (unanswered) when it is not that. */
    private static Map<String, DeliveryHealth.Failure> parse(JsonObject body) {
        try {
            Map<String, DeliveryHealth.Failure> failures = new TreeMap<>();
            JsonObject listed = body.getJsonObject("Failures");
            for (String id : listed.fieldNames()) {
                JsonObject failure = listed.getJsonObject(id);
                failures.put(id, new DeliveryHealth.Failure(failure.getString("Topic"), failure.getString("Protocol"),
                        failure.getString("Reason"), Instant.parse(failure.getString("Since")),
                        Instant.parse(failure.getString("Last")), failure.getLong("Attempts")));
            }
            return failures;
        } catch (RuntimeException malformed) {
            return null;
        }
    }
}
