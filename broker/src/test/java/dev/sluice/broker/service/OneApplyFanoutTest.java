package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.notify.service.OutboxFanout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fanout in one entry runs on the node that leads the outbox's data group only: elsewhere the outbox is not read
 * (no engine call at all: this test gives none) and the pollers idle, asking again after a wait, so that one batch is
 * proposed by one node instead of by every node's pollers.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OneApplyFanoutTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void aNodeThatDoesNotLeadTheOutboxsGroupReadsNothingAndAsksAgainAfterAWait() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        OneApplyFanout fanout = new OneApplyFanout(null, null, null, url -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(false);
        }, timers);

        long started = System.nanoTime();
        OutboxFanout.Ready ready = fanout.ready("http://127.0.0.1/000000000000/outbox", 10, 1).get(5, TimeUnit.SECONDS);

        assertTrue(ready.messages().isEmpty());
        assertFalse(ready.receiveInstead());
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(900), "an idle wait, not a busy loop");
        assertTrue(asked.get() == 1);
    }
}
