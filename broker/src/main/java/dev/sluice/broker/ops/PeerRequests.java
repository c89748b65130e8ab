package dev.sluice.broker.ops;

import dev.sluice.raftstore.ClusterView;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One signed {@code GET} of the same {@code /v1} path on every other node, at the HTTP URL each published in the
 * catalog, all at once, each bounded by {@link #TIMEOUT_MILLIS}: what the console's cluster-wide pages ask the other
 * nodes. A node without a URL yet, not answering in time, answering anything but 200 or a body its reader refuses is
 * named as unanswered, never waited for. Thread-safe, never blocks.
 */
final class PeerRequests {
    /** How long a peer's answer is waited for: the console refreshes every few seconds. */
    static final long TIMEOUT_MILLIS = 2000;

    /**
     * @param answered each answering node's reading, by node id in configuration order
     * @param unanswered the nodes that did not answer
     */
    record Answers<T>(Map<String, T> answered, List<String> unanswered) {
    }

    private final String selfId;
    private final Supplier<CompletableFuture<ClusterView>> view;
    private final WebClient web;
    private final PeerSigner signer;

    PeerRequests(String selfId, Supplier<CompletableFuture<ClusterView>> view, WebClient web, PeerSigner signer) {
        this.selfId = selfId;
        this.view = view;
        this.web = web;
        this.signer = signer;
    }

    String selfId() {
        return selfId;
    }

    /** @param read the answer's reading; null or an exception when the body is not what was asked for */
    <T> CompletableFuture<Answers<T>> getFromEveryPeer(String path, Function<JsonObject, T> read) {
        return view.get().thenCompose(cluster -> {
            List<ClusterView.NodeView> peers = cluster.nodes().stream().filter(node -> !node.id().equals(selfId)).toList();
            List<CompletableFuture<T>> asked = peers.stream().map(peer -> ask(peer, path, read)).toList();
            return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(done -> {
                Map<String, T> answered = new LinkedHashMap<>();
                List<String> unanswered = new ArrayList<>();
                for (int i = 0; i < peers.size(); i++) {
                    T reading = asked.get(i).join();
                    if (reading == null) {
                        unanswered.add(peers.get(i).id());
                    } else {
                        answered.put(peers.get(i).id(), reading);
                    }
                }
                return new Answers<>(answered, unanswered);
            });
        });
    }

    private <T> CompletableFuture<T> ask(ClusterView.NodeView peer, String path, Function<JsonObject, T> read) {
        if (peer.httpUrl() == null || peer.httpUrl().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        String url = peer.httpUrl().replaceAll("/+$", "") + path;
        return signer.signGet(url, web.getAbs(url).timeout(TIMEOUT_MILLIS)).send().toCompletionStage().toCompletableFuture()
                .thenApply(response -> response.statusCode() == 200 ? read.apply(response.bodyAsJsonObject()) : null)
                .exceptionally(unreachable -> null);
    }
}
