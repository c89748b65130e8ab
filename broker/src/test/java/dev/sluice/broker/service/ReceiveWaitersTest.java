package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which waiting long polls a change wakes: all of them, or as many as receives could now find something. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReceiveWaitersTest {
    private static final long LONG_WAIT_MILLIS = 60_000;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    /** Wakes run on the calling thread, so each assertion sees the wake done. */
    private final ReceiveWaiters waiters = new ReceiveWaiters(100, timers, Runnable::run);

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void messagesReadyWakesAsManyWaitersAsMessagesOldestFirst() {
        List<CompletableFuture<Void>> waiting = await("q", 5);
        waiters.messagesReady("q", 2);
        assertEquals(List.of(true, true, false, false, false), done(waiting));
        assertEquals(3, waiters.waitingCount());
    }

    @Test
    void aQueueLeavesTheTableWhenItsLastWaiterEndsSoAThousandQueuesPolledOnceHoldNothing() throws Exception {
        ReceiveWaiters many = new ReceiveWaiters(2_000, timers, Runnable::run);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int queue = 0; queue < 1_000; queue++) {
            all.add(many.await("q" + queue, 1)); // each ends on its own timer
        }
        CompletableFuture<Void> woken = many.await("busy", LONG_WAIT_MILLIS);
        many.queueChanged("busy");
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertTrue(woken.isDone());
        // A waiter leaves the table in its future's own completion action, on the timer's thread, which may run after
        // allOf's: give the last few a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((many.waitingCount() > 0 || many.queuesWaitedOn() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(0, many.waitingCount());
        assertEquals(0, many.queuesWaitedOn(), "no queue kept for waiters that are gone");
        // And a queue that left the table is waited on (and woken) again as before.
        CompletableFuture<Void> again = many.await("q7", LONG_WAIT_MILLIS);
        many.messagesReady("q7", 1);
        assertTrue(again.isDone());
    }

    @Test
    void aWaiterThatAlreadyEndedDoesNotTakeAWake() {
        List<CompletableFuture<Void>> waiting = await("q", 3);
        waiting.get(0).complete(null); // its client went away, or its own timer fired
        waiters.messagesReady("q", 1);
        assertEquals(List.of(true, true, false), done(waiting));
    }

    @Test
    void passOnWakesOneMoreAndQueueChangedWakesEveryWaiterOfThatQueueOnly() {
        List<CompletableFuture<Void>> waiting = await("q", 4);
        List<CompletableFuture<Void>> elsewhere = await("other", 2);
        waiters.passOn("q");
        assertEquals(List.of(true, false, false, false), done(waiting));
        waiters.queueChanged("q");
        assertEquals(List.of(true, true, true, true), done(waiting));
        assertEquals(List.of(false, false), done(elsewhere));
    }

    @Test
    void moreMessagesThanWaitersWakeThemAllAndAWaiterRegisteringDuringTheWakeIsNotWokenByIt() {
        List<CompletableFuture<Void>> waiting = await("q", 2);
        List<CompletableFuture<Void>> again = new ArrayList<>();
        // A woken waiter whose replica shows nothing to take registers again at once, inside the wake.
        waiting.get(0).thenRun(() -> again.add(waiters.await("q", LONG_WAIT_MILLIS)));
        waiters.queueChanged("q");
        assertEquals(List.of(true, true), done(waiting));
        assertEquals(List.of(false), done(again));
        waiters.messagesReady("q", 10);
        assertEquals(List.of(true), done(again));
        assertEquals(0, waiters.waitingCount());
    }

    @Test
    void beyondItsCapacityAReceiveDoesNotWait() {
        ReceiveWaiters small = new ReceiveWaiters(1, timers, Runnable::run);
        CompletableFuture<Void> first = small.await("q", LONG_WAIT_MILLIS);
        assertNull(small.await("q", LONG_WAIT_MILLIS));
        small.messagesReady("q", 1);
        assertTrue(first.isDone());
        assertEquals(0, small.waitingCount());
    }

    private List<CompletableFuture<Void>> await(String queue, int count) {
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            waiting.add(waiters.await(queue, LONG_WAIT_MILLIS));
        }
        return waiting;
    }

    private static List<Boolean> done(List<CompletableFuture<Void>> waiting) {
        return waiting.stream().map(CompletableFuture::isDone).toList();
    }
}
