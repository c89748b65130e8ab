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
    void onlyOnePollerOfATopicWaitsAtTheOutbox() {
        assertTrue(turns.listen(() -> woken.add("first")));
        assertFalse(turns.listen(() -> woken.add("second")));
        assertFalse(turns.listen(() -> woken.add("third")));
        assertEquals(List.of(), woken);
    }

    @Test
    void aListenerThatHeardMessagesHandsTheListeningToTheOldestParkedPoller() {
        turns.listen(() -> woken.add("first"));
        turns.listen(() -> woken.add("second"));
        turns.listen(() -> woken.add("third"));
        turns.heard(true);
        assertEquals(List.of("second"), woken);
        assertTrue(turns.listen(() -> woken.add("second again")), "the woken poller listens now");
        assertFalse(turns.listen(() -> woken.add("first again")), "the first, back from its fanout, parks");
    }

    @Test
    void aListenerThatHeardNothingWakesNobodyAndListensAgainItself() {
        turns.listen(() -> woken.add("first"));
        turns.listen(() -> woken.add("second"));
        turns.heard(false);
        assertEquals(List.of(), woken);
        assertTrue(turns.listen(() -> woken.add("first again")));
    }
}
