package dev.sluice.broker.ops;

import dev.sluice.broker.api.rest.TopicCounts;
import dev.sluice.notify.service.NotificationCounts;
import dev.sluice.raftstore.ClusterView;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A topic's counts summed over the cluster's nodes: this node's from memory, every other node's from its
 * {@link NotificationCountRoutes} (an operator's, like {@code /metrics}: asked signed with the peer key), all at once through
 * {@link PeerRequests}. A node that does not answer in time is named in the answer instead of failing the page.
 * Thread-safe, never blocks.
 */
public final class ClusterTopicCounts implements TopicCounts {
    private final NotificationCounts local;
    private final PeerRequests peers;

    /**
     * @param view the cluster's nodes with their HTTP URLs
     * @param signer signs the asks with the peer key (the other nodes' {@code /metrics/notifications} is an operator's)
     */
    public ClusterTopicCounts(String selfId, NotificationCounts local, Supplier<CompletableFuture<ClusterView>> view,
            WebClient web, PeerSigner signer) {
        this.local = local;
        this.peers = new PeerRequests(selfId, view, web, signer);
    }

    @Override
    public CompletableFuture<Answer> of(String topic) {
        String path = NotificationCountRoutes.PATH + "?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8);
        return peers.getFromEveryPeer(path, ClusterTopicCounts::parse).thenApply(answers -> {
            SortedMap<String, SortedMap<String, Long>> sum = TopicCounts.ofTopic(local.snapshot(), topic);
            answers.answered().values().forEach(counted -> TopicCounts.add(sum, counted));
            return new Answer(sum, answers.unanswered());
        });
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
