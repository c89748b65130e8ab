package dev.sluice.benchmarks.floor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.model.Message;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The floor's queue on a hand-moved clock: long polls, their bound, their cancellation and visibility deadlines. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MemoryQueueTest {

    /** A clock and timers moved by hand: a timer fires when {@link #advance} passes its due time. */
    private static final class ManualTime implements FloorTimers {
        long nanos = 1_000_000_000L;
        private long nextId;
        private final TreeMap<Long, Map.Entry<Long, Runnable>> pending = new TreeMap<>();

        @Override
        public long schedule(long delayMillis, Runnable action) {
            long id = nextId++;
            pending.put(id, Map.entry(nanos + TimeUnit.MILLISECONDS.toNanos(delayMillis), action));
            return id;
        }

        @Override
        public void cancel(long timerId) {
            pending.remove(timerId);
        }

        int pendingTimers() {
            return pending.size();
        }

        void advance(Duration by) {
            nanos += by.toNanos();
            List<Long> due = pending.entrySet().stream().filter(timer -> timer.getValue().getKey() <= nanos)
                    .map(Map.Entry::getKey).toList();
            for (Long id : due) {
                Map.Entry<Long, Runnable> timer = pending.remove(id);
                if (timer != null) {
                    timer.getValue().run();
                }
            }
        }
    }

    private final ManualTime time = new ManualTime();
    private final MemoryQueue queue = new MemoryQueue("http://127.0.0.1:1/000000000000/q", Duration.ofSeconds(30), 2,
            () -> time.nanos, time);
    private final ReceiveOptions upToTen = new ReceiveOptions(10, null, null);

    @Test
    void aLongPollWithNothingSentIsAnsweredEmptyAtItsDeadline() {
        CompletableFuture<List<Message>> poll = queue.receive(upToTen, Duration.ofSeconds(5));

        time.advance(Duration.ofSeconds(4));
        assertFalse(poll.isDone());
        time.advance(Duration.ofSeconds(2));

        assertEquals(List.of(), poll.join());
        assertEquals(0, queue.waitingReceives());
    }

    @Test
    void beyondTheBoundAReceiveDoesNotWait() {
        queue.receive(upToTen, Duration.ofSeconds(20));
        queue.receive(upToTen, Duration.ofSeconds(20));

        CompletableFuture<List<Message>> third = queue.receive(upToTen, Duration.ofSeconds(20));

        assertEquals(List.of(), third.getNow(null));
        assertEquals(2, queue.waitingReceives());
    }

    @Test
    void aCancelledLongPollLeavesAndItsTimerIsCancelled() {
        CompletableFuture<List<Message>> poll = queue.receive(upToTen, Duration.ofSeconds(20));

        poll.cancel(false);

        assertEquals(0, queue.waitingReceives());
        assertEquals(0, time.pendingTimers());
        queue.send(List.of(new MemoryQueue.Outgoing("kept", null)));
        assertEquals(1, queue.visibleCount());
    }

    @Test
    void aWaitingLongPollIsWokenWhenAReceivedMessageComesBack() {
        queue.send(List.of(new MemoryQueue.Outgoing("returns", null)));
        Message first = queue.receive(new ReceiveOptions(1, Duration.ofSeconds(2), null), Duration.ZERO).join().get(0);
        CompletableFuture<List<Message>> poll = queue.receive(upToTen, Duration.ofSeconds(20));

        time.advance(Duration.ofMillis(1_500));
        assertFalse(poll.isDone());
        time.advance(Duration.ofMillis(600));

        List<Message> again = poll.join();
        assertEquals(first.messageId(), again.get(0).messageId());
        assertTrue(queue.delete(again.get(0).receiptHandle()));
        assertFalse(queue.delete(first.receiptHandle()));
    }
}
