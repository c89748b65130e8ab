package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FanoutTurnsTest {
    /** Runs what it is handed at once, on the calling thread. */
    private final FanoutTurns turns = new FanoutTurns(Runnable::run);
    private final List<String> woken = new ArrayList<>();

    @Test
    void onlyOnePollerOfATopicWaitsAtAnEmptyOutbox() {
        assertTrue(turns.listen(() -> woken.add("first")));
        assertFalse(turns.listen(() -> woken.add("second")));
        assertFalse(turns.listen(() -> woken.add("third")));
        assertEquals(List.of(), woken);
    }

    @Test
    void aListenerThatHeardAShortBatchHandsTheListeningToTheOldestParkedPoller() {
        turns.listen(() -> woken.add("first"));
        turns.listen(() -> woken.add("second"));
        turns.listen(() -> woken.add("third"));
        turns.heard(1, 10);
        assertEquals(List.of("second"), woken);
        assertTrue(turns.listen(() -> woken.add("second again")), "the woken poller listens now");
        assertFalse(turns.listen(() -> woken.add("first again")), "the first, back from its fanout, parks");
    }

    @Test
    void aListenerThatHeardNothingWakesNobodyAndListensAgainItself() {
        turns.listen(() -> woken.add("first"));
        turns.listen(() -> woken.add("second"));
        turns.heard(0, 10);
        assertEquals(List.of(), woken);
        assertTrue(turns.listen(() -> woken.add("first again")));
    }

    @Test
    void aFullBatchLetsEveryPollerReceiveAtOnceUntilABatchComesBackShort() {
        turns.listen(() -> woken.add("first"));
        turns.listen(() -> woken.add("second"));
        turns.listen(() -> woken.add("third"));
        turns.heard(10, 10);
        assertEquals(List.of("second", "third"), woken);
        assertTrue(turns.listen(() -> woken.add("second receives")));
        assertTrue(turns.listen(() -> woken.add("third receives")));
        assertTrue(turns.listen(() -> woken.add("first receives")));
        turns.heard(3, 10);
        turns.heard(0, 10);
        turns.heard(0, 10);
        assertTrue(turns.listen(() -> woken.add("first listens")));
        assertFalse(turns.listen(() -> woken.add("second parks")), "no backlog: one listener again");
    }
}
