package dev.sluice.clientsdk;

import java.util.concurrent.CompletableFuture;

/**
 * Carries a caller's cancel down a chain of futures: {@code thenApply} and friends do not cancel the
 * future they were derived from, so a long poll whose HTTP client went away would otherwise keep
 * waiting (and hold a waiter slot) until its wait time ran out.
 */
public final class Cancellation {
    private Cancellation() {
    }

    /** Returns {@code derived}; cancelling it cancels {@code source}. */
    public static <T> CompletableFuture<T> propagate(CompletableFuture<T> derived, CompletableFuture<?> source) {
        derived.whenComplete((ignored, error) -> {
            if (derived.isCancelled()) {
                source.cancel(false);
            }
        });
        return derived;
    }
}
