package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A level gate on a hot path: asked again while the level is not reached, remembered once it is. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FeatureLatchTest {

    @Test
    void aNoOrAFailedReadIsAskedAgainAndAYesIsNeverAskedAgain() {
        Deque<CompletableFuture<Boolean>> answers = new ArrayDeque<>(List.of(CompletableFuture.completedFuture(false),
                CompletableFuture.failedFuture(new IllegalStateException("no quorum")), CompletableFuture.completedFuture(true)));
        AtomicInteger reads = new AtomicInteger();
        FeatureLatch latch = new FeatureLatch(() -> {
            reads.incrementAndGet();
            return answers.removeFirst();
        });
        assertFalse(latch.reached().join(), "below the level: the older path");
        assertFalse(latch.reached().join(), "a failed read: the older path, never a failure");
        assertTrue(latch.reached().join());
        assertTrue(latch.reached().join());
        assertTrue(latch.reached().join());
        assertEquals(3, reads.get(), "once reached, the level is not read again");
    }
}
