package dev.sluice.notify.service;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * The fanout pollers of one topic on this node take turns at the outbox's long poll: one listens, the others park.
 * Without turns every poller waits at the empty outbox, a publish wakes them all, and each proposes a receive of its
 * own: with four pollers, one receive with the message and three empty ones, every one a Raft entry. The listener
 * that hears messages hands the listening on to a parked poller before it fans them out, so under load the pollers
 * still work side by side (one listens while the others fan out), and a lone publish costs one receive. Thread-safe.
 */
final class FanoutTurns {
    private final Executor wakeExecutor;
    /** Guarded by this. */
    private boolean listening;
    /** Pollers waiting for their turn, oldest first; at most {@code fanoutPollersPerTopic}. Guarded by this. */
    private final Queue<Runnable> parked = new ArrayDeque<>();

    FanoutTurns(Executor wakeExecutor) {
        this.wakeExecutor = wakeExecutor;
    }

    /**
     * True when the caller may long-poll now (it listens until {@link #heard}); false when another listens: then
     * {@code pollWhenWoken} runs once the listening is handed on.
     */
    synchronized boolean listen(Runnable pollWhenWoken) {
        if (!listening) {
            listening = true;
            return true;
        }
        parked.add(pollWhenWoken);
        return false;
    }

    /**
     * The listener's receive ended ({@code gotMessages}: with messages). With messages a parked poller takes over the
     * listening while the listener fans them out; without (an error, a stop) the listener takes its next turn itself.
     */
    void heard(boolean gotMessages) {
        Runnable next;
        synchronized (this) {
            listening = false;
            next = gotMessages ? parked.poll() : null;
        }
        if (next != null) {
            wakeExecutor.execute(next);
        }
    }
}
