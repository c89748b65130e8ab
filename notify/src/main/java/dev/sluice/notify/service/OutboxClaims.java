package dev.sluice.notify.service;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The outbox messages one topic's fanout pollers on this node are fanning out in one entry now ({@link OutboxFanout}):
 * a poller whose read found messages a sibling already took on does not propose them again (its command would only be
 * skipped) and waits for the sibling instead. Bounded by the pollers' batches (each claims at most one batch and
 * releases it when its command answered). Nor does a poller propose a message a sibling's command already moved out of
 * the outbox ({@link #gone}): a read can be answered after that command applied and its claim was released (a busy
 * node), and still hold the message. Shared by one topic's fanout workers on this node; thread-safe.
 */
final class OutboxClaims {
    /**
     * How many of the latest messages gone from the outbox are remembered: far more than the pollers of a topic read at
     * once, so a late answer of a read finds those it holds. Outbox sequence numbers grow, so the smallest are the oldest.
     */
    static final int GONE_KEPT = 1_024;

    private final TreeSet<Long> claimed = new TreeSet<>();
    private final TreeSet<Long> gone = new TreeSet<>();
    private CompletableFuture<Void> released = new CompletableFuture<>();

    /** Claims up to {@code max} of the messages no sibling claimed; returns them, in order. */
    synchronized List<OutboxFanout.OutboxMessage> claim(List<OutboxFanout.OutboxMessage> messages, int max) {
        List<OutboxFanout.OutboxMessage> mine = new ArrayList<>();
        for (OutboxFanout.OutboxMessage message : messages) {
            if (mine.size() == max) {
                break;
            }
            if (!gone.contains(message.seq()) && claimed.add(message.seq())) {
                mine.add(message);
            }
        }
        return mine;
    }

    /** Messages a fan-out command took or skipped (no longer in the outbox): never claimed again. */
    synchronized void gone(List<Long> seqs) {
        gone.addAll(seqs);
        while (gone.size() > GONE_KEPT) {
            gone.pollFirst();
        }
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
