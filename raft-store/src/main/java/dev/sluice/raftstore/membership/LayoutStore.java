package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.catalog.Catalog;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Where the {@link ClusterLayout} lives: one catalog record ({@value #NAMESPACE}/{@value #KEY}), changed only by
 * compare-and-set, so concurrent operator commands and the controller never overwrite each other's change.
 */
final class LayoutStore {
    static final String NAMESPACE = "store.layout";
    static final String KEY = "layout";
    /** Compare-and-set attempts before a change gives up as conflicting (layout changes are rare). */
    private static final int MAX_ATTEMPTS = 20;

    private final Catalog catalog;

    LayoutStore(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The committed layout (linearizable); empty before the controller first stored one. */
    CompletableFuture<Optional<ClusterLayout>> read() {
        return catalog.get(NAMESPACE, KEY).thenApply(bytes -> bytes.map(LayoutCodec::decode));
    }

    /** The layout in {@code nodeId}'s own catalog replica, possibly stale; no quorum needed. */
    CompletableFuture<Optional<ClusterLayout>> readReplica(String nodeId) {
        return catalog.scanReplica(nodeId, NAMESPACE, KEY, null, 1).thenApply(page -> page.entries().stream()
                .filter(entry -> entry.key().equals(KEY)).findFirst().map(entry -> LayoutCodec.decode(entry.value())));
    }

    CompletableFuture<Boolean> createIfAbsent(ClusterLayout layout) {
        return catalog.putIfAbsent(NAMESPACE, KEY, LayoutCodec.encode(layout));
    }

    /**
     * Applies {@code change} to the committed layout with compare-and-set, re-reading on a conflict; completes with
     * the layout now stored, or fails with what {@code change} throws. Fails with a CONFLICT refusal while no
     * layout exists yet (the controller stores the first one moments after the cluster forms).
     */
    CompletableFuture<ClusterLayout> update(UnaryOperator<ClusterLayout> change) {
        return catalog.update(NAMESPACE, KEY, bytes -> {
            byte[] next = LayoutCodec.encode(change.apply(LayoutCodec.decode(bytes)));
            return CompletableFuture.completedFuture(Arrays.equals(next, bytes) ? bytes : next);
        }, MAX_ATTEMPTS).thenApply(stored -> stored.map(LayoutCodec::decode).orElseThrow(() -> new ClusterChangeRefusedException(
                ClusterChangeRefusedException.Reason.CONFLICT, "the cluster layout is not stored yet; retry in a few seconds")));
    }
}
