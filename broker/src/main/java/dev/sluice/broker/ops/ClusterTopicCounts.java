package dev.sluice.broker.ops;

import dev.sluice.broker.api.rest.TopicCounts;
import dev.sluice.notify.service.NotificationCounts;
import dev.sluice.raftstore.ClusterView;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A topic's counts summed over the cluster's nodes: this node's from memory, every other node's from its
 * {@link NotificationCountRoutes} at the HTTP URL it published in the catalog, all asked at once, each bounded by
 * {@link #TIMEOUT_MILLIS}. A node that does not answer in time is named in the answer instead of failing the page.
 * Thread-safe, never blocks.
 */
public final class ClusterTopicCounts implements TopicCounts {
    /** How long a peer's counts are waited for: the console refreshes every few seconds. */
    static final long TIMEOUT_MILLIS = 2000;

    private final String selfId;
    private final NotificationCounts local;
    private final Supplier<CompletableFuture<ClusterView>> view;
    private final WebClient web;

    /** @param view the cluster's nodes with their HTTP URLs */
    public ClusterTopicCounts(String selfId, NotificationCounts local, Supplier<CompletableFuture<ClusterView>> view,
            WebClient web) {
        this.selfId = selfId;
        this.local = local;
        this.view = view;
        this.web = web;
    }

    @Override
    public CompletableFuture<Answer> of(String topic) {
        return view.get().thenCompose(cluster -> {
            List<ClusterView.NodeView> peers = cluster.nodes().stream().filter(node -> !node.id().equals(selfId)).toList();
            List<CompletableFuture<Map<String, Map<String, Long>>>> asked = peers.stream().map(peer -> ask(peer, topic)).toList();
            return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> {
                SortedMap<String, SortedMap<String, Long>> sum = TopicCounts.ofTopic(local.snapshot(), topic);
                List<String> unanswered = new ArrayList<>();
                for (int i = 0; i < peers.size(); i++) {
                    Map<String, Map<String, Long>> counted = asked.get(i).join();
                    if (counted == null) {
                        unanswered.add(peers.get(i).id());
                    } else {
                        TopicCounts.add(sum, counted);
                    }
                }
                return new Answer(sum, unanswered);
            });
        });
    }

    /** The peer's counts, or null when it has no URL yet, does not answer in time or answers something else. */
    private CompletableFuture<Map<String, Map<String, Long>>> ask(ClusterView.NodeView peer, String topic) {
        if (peer.httpUrl() == null || peer.httpUrl().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String url = peer.httpUrl().replaceAll("/+$", "") + NotificationCountRoutes.PATH + "?topic="
                + URLEncoder.encode(topic, StandardCharsets.UTF_8);
        return web.getAbs(url).timeout(TIMEOUT_MILLIS).send().toCompletionStage().toCompletableFuture()
                .thenApply(response -> response.statusCode() == 200 ? parse(response.bodyAsJsonObject()) : null)
                .exceptionally(unreachable -> null);
    }

    private static Map<String, Map<String, Long>> parse(JsonObject body) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (String kind : body.fieldNames()) {
            JsonObject protocols = body.getJsonObject(kind);
            Map<String, Long> byProtocol = new TreeMap<>();
            protocols.fieldNames().forEach(protocol -> byProtocol.put(protocol, protocols.getLong(protocol)));
            counts.put(kind, byProtocol);
        }
        return counts;
    }
}
