package dev.sluice.broker.service;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Whether the cluster reached a feature level, for a check on a hot path (each fanout batch): once a read said yes,
 * the answer is yes without another read, since a cluster's effective level never goes down (a node of a lower level
 * refuses to serve once the cluster used a higher one, see {@code ClusterFeatures}). While the answer is no, every call
 * reads again, so the level is used from the first proposal after it is reached. Thread-safe.
 */
public final class FeatureLatch {
    private static final CompletableFuture<Boolean> YES = CompletableFuture.completedFuture(true);

    private final Supplier<CompletableFuture<Boolean>> read;
    private volatile boolean reached;

    /** @param read a linearizable read of whether the cluster runs the level ({@code ClusterFeatures#atLeast}) */
    public FeatureLatch(Supplier<CompletableFuture<Boolean>> read) {
        this.read = read;
    }

    /** Completes with whether every node runs the level; a failed read answers no (the caller's older path). */
    public CompletableFuture<Boolean> reached() {
        if (reached) {
            return YES;
        }
        CompletableFuture<Boolean> answer;
        try {
            answer = read.get();
        } catch (RuntimeException unknown) {
            return CompletableFuture.completedFuture(false);
        }
        return answer.handle((yes, failure) -> {
            if (failure == null && Boolean.TRUE.equals(yes)) {
                reached = true;
                return true;
            }
            return false;
        });
    }
}
