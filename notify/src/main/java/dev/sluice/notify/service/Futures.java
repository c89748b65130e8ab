package dev.sluice.notify.service;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Small helpers for future-returning actions. */
final class Futures {
    private Futures() {
    }

    /** Runs the supplier; an exception it throws (a validation failure) becomes a failed future. */
    static <T> CompletableFuture<T> of(Supplier<CompletableFuture<T>> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static CompletableFuture<Void> all(List<CompletableFuture<Void>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }
}
