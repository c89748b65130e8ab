package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueWakeups;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * What a node that holds no serving replica of a group knows of its queues' readiness, in place of the replica's
 * own state: for each queue that receives here look at, the group's leader is asked every {@link #POLL_MILLIS}
 * how many messages a receive could take and when the next hidden one appears, and long polls waiting here are
 * woken through the same {@link QueueWakeups} a local replica's apply calls. However many long polls wait on a
 * queue, there is one read per poll interval; a queue nobody looked at for {@link #INTEREST_MILLIS} (longer than
 * any long poll) is no longer polled.
 *
 * <p>Bounded: at most {@code maxWatched} queues at once; beyond that a queue reads as possibly ready and is not
 * polled (its long polls then propose receives at each wait slice instead of being woken).
 *
 * <p>Threads: {@link #readiness} and {@link #tookNothing} from any thread; polls on {@code timers}.
 */
final class RemoteQueueWatch {
    static final long POLL_MILLIS = 100;
    static final long INTEREST_MILLIS = 25_000;

    /** @param receivable what a receive could take now; @param nextVisibleAtMillis when the next hidden message appears */
    record Readiness(long receivable, long nextVisibleAtMillis) {
        /** Before the first answer: possibly ready, so the first receive is proposed rather than skipped. */
        static final Readiness UNKNOWN = new Readiness(1, 0);
    }

    private final Function<String, CompletableFuture<Readiness>> ask;
    private final QueueWakeups wakeups;
    private final ScheduledExecutorService timers;
    private final LongSupplier clockMillis;
    private final int maxWatched;
    private final Map<String, Watch> watched = new ConcurrentHashMap<>();

    private static final class Watch {
        volatile Readiness readiness = Readiness.UNKNOWN;
        /** On the {@link WaitClock}: interest is real time, however the service clock moves. */
        volatile long interestUntil;
    }

    /**
     * @param ask reads a queue's readiness from the group's leader (linearizable)
     * @param clockMillis the service clock, which the leader's visibility deadlines are compared with
     */
    RemoteQueueWatch(Function<String, CompletableFuture<Readiness>> ask, QueueWakeups wakeups, ScheduledExecutorService timers,
            LongSupplier clockMillis, int maxWatched) {
        this.ask = ask;
        this.wakeups = wakeups;
        this.timers = timers;
        this.clockMillis = clockMillis;
        this.maxWatched = maxWatched;
    }

    /** The queue's readiness as last polled ({@link Readiness#UNKNOWN} at first); keeps it polled a while longer. */
    Readiness readiness(String name) {
        Watch watch = watched.get(name);
        if (watch == null) {
            if (watched.size() >= maxWatched) {
                return Readiness.UNKNOWN;
            }
            Watch fresh = new Watch();
            watch = watched.putIfAbsent(name, fresh);
            if (watch == null) {
                watch = fresh;
                watch.interestUntil = WaitClock.millis() + INTEREST_MILLIS;
                schedule(name, watch, 0);
                return watch.readiness;
            }
        }
        watch.interestUntil = WaitClock.millis() + INTEREST_MILLIS;
        return watch.readiness;
    }

    /**
     * A receive found nothing: until the next poll says otherwise nothing is ready or due (what was due, the receive
     * has made visible), so a long poll waits to be woken instead of proposing receives in a loop.
     */
    void tookNothing(String name) {
        readiness(name); // starts the watch: a long poll waits next
        Watch watch = watched.get(name);
        if (watch != null) {
            watch.readiness = new Readiness(0, Long.MAX_VALUE);
        }
    }

    int watchedCount() {
        return watched.size();
    }

    private void schedule(String name, Watch watch, long delayMillis) {
        try {
            timers.schedule(() -> poll(name, watch), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            watched.remove(name, watch);
        }
    }

    private void poll(String name, Watch watch) {
        if (WaitClock.millis() > watch.interestUntil) {
            watched.remove(name, watch);
            return;
        }
        ask.apply(name).whenComplete((readiness, error) -> {
            if (error == null) {
                watch.readiness = readiness;
                if (readiness.receivable() > 0 || readiness.nextVisibleAtMillis() <= clockMillis.getAsLong()) {
                    wakeups.queueChanged(name);
                }
            } else {
                // Leader unknown for a moment, or the queue is gone: let the waiters propose and find out.
                watch.readiness = Readiness.UNKNOWN;
            }
            schedule(name, watch, POLL_MILLIS);
        });
    }
}
