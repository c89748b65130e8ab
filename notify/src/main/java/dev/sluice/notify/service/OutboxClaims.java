package dev.sluice.notify.service;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The outbox messages one topic's fanout pollers on this node are fanning out in one entry now ({@link OutboxFanout}):
 * a poller whose read found messages a sibling already took on does not propose them again (its command would only be
 * skipped) and waits for the sibling instead. Bounded by the pollers' batches (each claims at most one batch and
 * releases it when its command answered). Shared by one topic's fanout workers on this node; thread-safe.
 */
final class OutboxClaims {
    private final TreeSet<Long> claimed = new TreeSet<>();
    private CompletableFuture<Void> released = new CompletableFuture<>();

    /** Claims up to {@code max} of the messages no sibling claimed; returns them, in order. */
    synchronized List<OutboxFanout.OutboxMessage> claim(List<OutboxFanout.OutboxMessage> messages, int max) {
        List<OutboxFanout.OutboxMessage> mine = new ArrayList<>();
        for (OutboxFanout.OutboxMessage message : messages) {
            if (mine.size() == max) {
                break;
            }
            if (claimed.add(message.seq())) {
                mine.add(message);
            }
        }
        return mine;
    }

    /** Completes at the next {@link #release} by any poller. */
    synchronized CompletableFuture<Void> nextRelease() {
        return released;
    }

    void release(List<OutboxFanout.OutboxMessage> messages) {
        CompletableFuture<Void> waiting;
        synchronized (this) {
            messages.forEach(message -> claimed.remove(message.seq()));
            waiting = released;
            released = new CompletableFuture<>();
        }
        waiting.complete(null);
    }
}
