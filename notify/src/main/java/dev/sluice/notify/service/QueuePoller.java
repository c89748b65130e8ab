package dev.sluice.notify.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loop of long-poll receives on one internal queue: {@link #start} begins it, {@link #stop} ends it and
 * cancels the receive waiting at the queue, so a stopped worker holds no long poll. Thread-safe.
 */
abstract class QueuePoller {
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile CompletableFuture<?> pendingReceive;

    final void start() {
        poll();
    }

    final void stop() {
        stopped.set(true);
        CompletableFuture<?> receive = pendingReceive;
        if (receive != null) {
            receive.cancel(false);
        }
    }

    final boolean stopped() {
        return stopped.get();
    }

    /** Remembers the receive in progress, so that {@link #stop} can cancel it. */
    final <T> CompletableFuture<T> track(CompletableFuture<T> receive) {
        pendingReceive = receive;
        return receive;
    }

    /** One round: receive, handle, then schedule the next round unless stopped. */
    abstract void poll();
}
