package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueWakeups;
import dev.sluice.raftstore.trace.StageEvent;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long polls waiting on this node for a queue to change. The apply thread calls {@link #queueChanged} (every waiter of
 * the queue is woken) or {@link #messagesReady} (as many waiters as receives could now find something, oldest first:
 * each woken waiter proposes a receive, so waking more only appends empty receives to the log). Waiters are woken on
 * {@code wakeExecutor}, never on the apply thread.
 *
 * <p>No lost wake-ups: a woken waiter that ends up with nothing re-registers for the rest of its wait and re-checks the
 * queue after registering (see {@link EngineQueueClient}); one that is woken but does not receive at all (its client
 * went away, its receive failed) hands the wake on with {@link #passOn} when the queue still shows a message ready.
 * Bounded: beyond {@code maxWaiters} a receive does not wait and answers with what it has (empty).
 */
public final class ReceiveWaiters implements QueueWakeups {
    private final Map<String, Queue<CompletableFuture<Void>>> byQueue = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiters;
    private final ScheduledExecutorService timers;
    private final Executor wakeExecutor;

    public ReceiveWaiters(int maxWaiters, ScheduledExecutorService timers, Executor wakeExecutor) {
        this.maxWaiters = maxWaiters;
        this.timers = timers;
        this.wakeExecutor = wakeExecutor;
    }

    /**
     * Completes when the queue changes or after {@code maxWaitMillis}; empty when too many are waiting.
     * The caller re-checks the queue after registering, so no change between its last look and the
     * registration is missed.
     */
    public CompletableFuture<Void> await(String queueName, long maxWaitMillis) {
        if (waiting.incrementAndGet() > maxWaiters) {
            waiting.decrementAndGet();
            return null;
        }
        CompletableFuture<Void> wake = new CompletableFuture<>();
        // Added and removed within the map's per-key lock: a queue's list leaves the map when its last waiter leaves
        // (a node sees many queues over time), and a waiter is never added to a list that has just left it.
        byQueue.compute(queueName, (name, waiters) -> {
            Queue<CompletableFuture<Void>> list = waiters != null ? waiters : new ConcurrentLinkedQueue<>();
            list.add(wake);
            return list;
        });
        var timer = timers.schedule(() -> wake.complete(null), Math.max(1, maxWaitMillis), TimeUnit.MILLISECONDS);
        wake.whenComplete((ignored, error) -> {
            timer.cancel(false);
            byQueue.computeIfPresent(queueName, (name, waiters) -> {
                waiters.remove(wake);
                return waiters.isEmpty() ? null : waiters;
            });
            waiting.decrementAndGet();
        });
        return wake;
    }

    @Override
    public void queueChanged(String queueName) {
        wake(queueName, Long.MAX_VALUE);
    }

    @Override
    public void messagesReady(String queueName, long count) {
        if (count > 0) {
            wake(queueName, count);
        }
    }

    /** Wakes one more waiter of the queue: a woken one that did not receive hands its wake on (see the class comment). */
    public void passOn(String queueName) {
        wake(queueName, 1);
    }

    private void wake(String queueName, long count) {
        Queue<CompletableFuture<Void>> waiters = byQueue.get(queueName);
        if (waiters == null || waiters.isEmpty()) {
            return;
        }
        long changed = System.nanoTime();
        try {
            wakeExecutor.execute(() -> {
                StageEvent.record("longpoll.wake-hop", changed);
                long woken = System.nanoTime();
                wakeOldest(waiters, count);
                StageEvent.record("longpoll.woken-to-proposed", woken);
            });
        } catch (RejectedExecutionException shuttingDown) {
            // Called from apply: never fail it; the waiters end with the server.
        }
    }

    /**
     * A waiter already completed (its timer fired, its client left) does not count as woken. Looks at no more waiters
     * than were there at the start: a woken one may register again at once (its replica shows nothing to take).
     */
    private static void wakeOldest(Queue<CompletableFuture<Void>> waiters, long count) {
        long woken = 0;
        for (int looked = waiters.size(); looked > 0 && woken < count; looked--) {
            CompletableFuture<Void> wake = waiters.poll();
            if (wake == null) {
                return;
            }
            if (wake.complete(null)) {
                woken++;
            }
        }
    }

    /** How many long polls may wait here at once. */
    public int capacity() {
        return maxWaiters;
    }

    public int waitingCount() {
        return waiting.get();
    }

    /** Queues with a long poll waiting here now. */
    int queuesWaitedOn() {
        return byQueue.size();
    }
}
