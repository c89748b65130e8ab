package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueWakeups;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long polls waiting on this node for a queue to change. The apply thread calls
 * {@link #queueChanged}; waiters are woken on {@code wakeExecutor}, never on the apply thread.
 * Bounded: beyond {@code maxWaiters} a receive does not wait and answers with what it has (empty).
 */
public final class ReceiveWaiters implements QueueWakeups {
    private final Map<String, Set<CompletableFuture<Void>>> byQueue = new ConcurrentHashMap<>();
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
        Set<CompletableFuture<Void>> waiters = byQueue.computeIfAbsent(queueName, name -> ConcurrentHashMap.newKeySet());
        waiters.add(wake);
        var timer = timers.schedule(() -> wake.complete(null), Math.max(1, maxWaitMillis), TimeUnit.MILLISECONDS);
        wake.whenComplete((ignored, error) -> {
            timer.cancel(false);
            waiters.remove(wake);
            waiting.decrementAndGet();
        });
        return wake;
    }

    @Override
    public void queueChanged(String queueName) {
        Set<CompletableFuture<Void>> waiters = byQueue.get(queueName);
        if (waiters != null && !waiters.isEmpty()) {
            try {
                wakeExecutor.execute(() -> waiters.forEach(wake -> wake.complete(null)));
            } catch (RejectedExecutionException shuttingDown) {
                // Called from apply: never fail it; the waiters end with the server.
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
}
