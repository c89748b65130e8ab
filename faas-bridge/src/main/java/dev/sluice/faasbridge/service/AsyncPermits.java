package dev.sluice.faasbridge.service;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A semaphore that never blocks: {@link #acquire} completes when a permit is free. Used for a function's
 * reserved concurrency, so a poller waits for an invocation slot <em>before</em> it receives messages
 * (a throttled function never holds received messages, so their receive counts are not burnt).
 * Waiters are bounded by the number of pollers. Thread-safe.
 */
final class AsyncPermits {
    private final int permits;
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private int inUse;

    AsyncPermits(int permits) {
        this.permits = permits;
    }

    /** Completes once a permit is held; cancelling the future gives up the wait. */
    synchronized CompletableFuture<Void> acquire() {
        if (inUse < permits) {
            inUse++;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        waiters.add(waiter);
        return waiter;
    }

    void release() {
        CompletableFuture<Void> next;
        synchronized (this) {
            do {
                next = waiters.poll();
            } while (next != null && next.isDone());
            if (next == null) {
                inUse--;
                return;
            }
        }
        // The permit passes straight to the waiter; completed outside the lock.
        if (!next.complete(null)) {
            release();
        }
    }

    synchronized int inUse() {
        return inUse;
    }
}
