package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The outbox read of the fanout in one entry lets the node that leads the outbox's data group propose first: there a
 * read is answered as it is; elsewhere the messages still ready a grace period later are answered, those the leader's
 * fan-out took meanwhile left out, so that two nodes do not each propose the same batch.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LeaderFirstReadsTest {
    private static final long GRACE_MILLIS = 300;
    private static final long NOW = 1_800_000_000_000L;
    private static final java.time.InstantSource CLOCK = java.time.InstantSource.fixed(java.time.Instant.ofEpochMilli(NOW));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void onTheLeadersNodeTheReadIsAnsweredAtOnceAndNotReadAgain() throws Exception {
        ScriptedReads outbox = new ScriptedReads(new OutboxFanout.Ready(messages(1, 2), false, true));

        long started = System.nanoTime();
        OutboxFanout.Ready ready = new LeaderFirstReads(outbox, timers, CLOCK, GRACE_MILLIS).ready("outbox", 40, 20)
                .get(5, TimeUnit.SECONDS);

        assertEquals(List.of(1L, 2L), seqs(ready));
        assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS), "no grace on the leader");
        assertEquals(List.of(20), outbox.waits);
    }

    @Test
    void elsewhereOnlyTheMessagesStillReadyAfterTheGracePeriodAreAnswered() throws Exception {
        // The leader's fan-out took 1 and 2 meanwhile; 4 arrived after the first read and gets its own grace later.
        ScriptedReads outbox = new ScriptedReads(new OutboxFanout.Ready(messages(1, 2, 3), false, false),
                new OutboxFanout.Ready(messages(3, 4), false, false));

        long started = System.nanoTime();
        OutboxFanout.Ready ready = new LeaderFirstReads(outbox, timers, CLOCK, GRACE_MILLIS).ready("outbox", 40, 20)
                .get(5, TimeUnit.SECONDS);

        assertEquals(List.of(3L), seqs(ready));
        assertFalse(ready.leaderHere());
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS), "read after the grace");
        assertEquals(List.of(20, 0), outbox.waits, "the second read does not wait");
    }

    @Test
    void elsewhereNothingIsAnsweredWhenTheLeaderTookEverything() throws Exception {
        ScriptedReads outbox = new ScriptedReads(new OutboxFanout.Ready(messages(1, 2), false, false),
                new OutboxFanout.Ready(List.of(), false, false));

        OutboxFanout.Ready ready = new LeaderFirstReads(outbox, timers, CLOCK, GRACE_MILLIS).ready("outbox", 40, 20)
                .get(5, TimeUnit.SECONDS);

        assertTrue(ready.messages().isEmpty());
        assertFalse(ready.receiveInstead());
    }

    @Test
    void aNodeThatBecameTheLeaderDuringTheGracePeriodTakesWhatItReadThen() throws Exception {
        ScriptedReads outbox = new ScriptedReads(new OutboxFanout.Ready(messages(1), false, false),
                new OutboxFanout.Ready(messages(1, 2), false, true));

        OutboxFanout.Ready ready = new LeaderFirstReads(outbox, timers, CLOCK, GRACE_MILLIS).ready("outbox", 40, 20)
                .get(5, TimeUnit.SECONDS);

        assertEquals(List.of(1L, 2L), seqs(ready));
    }

    @Test
    void aReadThatSendsTheFanoutToItsReceiveLoopIsAnsweredAtOnceEverywhere() throws Exception {
        ScriptedReads outbox = new ScriptedReads(new OutboxFanout.Ready(List.of(), true, false));

        OutboxFanout.Ready ready = new LeaderFirstReads(outbox, timers, CLOCK, GRACE_MILLIS).ready("outbox", 40, 20)
                .get(5, TimeUnit.SECONDS);

        assertTrue(ready.receiveInstead());
        assertEquals(List.of(20), outbox.waits);
    }

    @Test
    void elsewhereAReadWhoseOldestMessageWaitedLongerThanTheGracePeriodIsAnsweredAtOnce() throws Exception {
        // The leader's pollers are not taking this outbox (none runs there, or they are behind): waiting would cap a
        // backlog's drain at one batch per grace period.
        List<OutboxFanout.OutboxMessage> backlog = List.of(
                new OutboxFanout.OutboxMessage(1, "id-1", "{}", Map.of(), NOW - GRACE_MILLIS),
                new OutboxFanout.OutboxMessage(2, "id-2", "{}", Map.of(), NOW));
        ScriptedReads outbox = new ScriptedReads(new OutboxFanout.Ready(backlog, false, false));

        long started = System.nanoTime();
        OutboxFanout.Ready ready = new LeaderFirstReads(outbox, timers, CLOCK, GRACE_MILLIS).ready("outbox", 40, 20)
                .get(5, TimeUnit.SECONDS);

        assertEquals(List.of(1L, 2L), seqs(ready));
        assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS), "no grace for a backlog");
        assertEquals(List.of(20), outbox.waits, "read once");
    }

    private static List<OutboxFanout.OutboxMessage> messages(long... seqs) {
        return java.util.Arrays.stream(seqs).mapToObj(seq -> new OutboxFanout.OutboxMessage(seq, "id-" + seq,
                "{}", Map.of(), NOW)).toList();
    }

    private static List<Long> seqs(OutboxFanout.Ready ready) {
        return ready.messages().stream().map(OutboxFanout.OutboxMessage::seq).toList();
    }

    /** An outbox whose reads answer the given results in order, remembering each read's wait. */
    private static final class ScriptedReads implements OutboxFanout {
        private final Queue<Ready> answers;
        final List<Integer> waits = new java.util.concurrent.CopyOnWriteArrayList<>();

        ScriptedReads(Ready... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public CompletableFuture<Boolean> inOneApply() {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public synchronized CompletableFuture<Ready> ready(String outboxUrl, int max, int waitSeconds) {
            waits.add(waitSeconds);
            Ready next = answers.poll();
            return next == null ? CompletableFuture.failedFuture(new AssertionError("read once too often"))
                    : CompletableFuture.completedFuture(next);
        }

        @Override
        public CompletableFuture<List<ItemResult>> fanOut(String outboxUrl, String billedTo, List<Item> items) {
            return CompletableFuture.failedFuture(new AssertionError("a read proposes nothing"));
        }
    }
}
