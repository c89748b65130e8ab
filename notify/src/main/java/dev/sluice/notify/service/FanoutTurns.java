package dev.sluice.notify.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * The fanout pollers of one topic on this node take turns at the outbox's long poll while it is empty: one listens,
 * the others park. Without turns every poller waits at the empty outbox, a publish wakes them all, and each proposes a
 * receive of its own: with four pollers, one receive with the message and three empty ones, every one a Raft entry.
 *
 * <p>The listener that hears messages hands the listening on to a parked poller before it fans them out, so a lone
 * publish costs one receive and the next one finds a listener. A full batch means a backlog: then every poller
 * receives at once, without turns (their receives find messages, none waits), until a batch comes back short.
 * Thread-safe.
 */
final class FanoutTurns {
    private final Executor wakeExecutor;
    /** Pollers in a receive now. Guarded by this. */
    private int receiving;
    /** The last batch was full: the outbox has more. Guarded by this. */
    private boolean backlog;
    /** Pollers waiting for their turn, oldest first; at most {@code fanoutPollersPerTopic}. Guarded by this. */
    private final Queue<Runnable> parked = new ArrayDeque<>();

    FanoutTurns(Executor wakeExecutor) {
        this.wakeExecutor = wakeExecutor;
    }

    /**
     * True when the caller may receive now (then it calls {@link #heard} once its receive ended); false when another
     * listens at an outbox with no backlog: then {@code pollWhenWoken} runs when the turn comes.
     */
    synchronized boolean listen(Runnable pollWhenWoken) {
        if (receiving == 0 || backlog) {
            receiving++;
            return true;
        }
        parked.add(pollWhenWoken);
        return false;
    }

    /**
     * A receive ended with {@code received} messages of at most {@code max} (0 for an error or a stop). A full batch
     * wakes every parked poller; a short one hands the listening to one parked poller when no other receives; none
     * wakes nobody (the caller listens again itself).
     */
    void heard(int received, int max) {
        List<Runnable> woken = new ArrayList<>();
        synchronized (this) {
            receiving--;
            backlog = received >= max;
            if (backlog) {
                woken.addAll(parked);
                parked.clear();
            } else if (received > 0 && receiving == 0 && !parked.isEmpty()) {
                woken.add(parked.poll());
            }
        }
        woken.forEach(wakeExecutor::execute);
    }
}
