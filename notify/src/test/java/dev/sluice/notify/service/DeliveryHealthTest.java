package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.notify.core.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DeliveryHealthTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final DeliveryHealth health = new DeliveryHealth(now::get,
            Duration.ofMinutes(5));
    private final Subscription toQueue = new Subscription("11111111-1111-1111-1111-111111111111", "alerts", "sqs",
            "arn:aws:sqs:us-east-1:000000000000:missing-queue", Map.of(), true, null, null);

    /** A retry due far later than any step of these tests: entries never go stale in them. */
    private static final Duration LONG_RETRY = Duration.ofHours(1);

    @Test
    void aFailingSubscriptionIsLoggedOnceThenAtMostOncePerInterval() {
        assertTrue(health.failed(toQueue, "queue missing-queue does not exist", LONG_RETRY), "the first failure is logged");
        for (int i = 0; i < 100; i++) {
            now.set(now.get().plusSeconds(2));
            assertFalse(health.failed(toQueue, "queue missing-queue does not exist", LONG_RETRY), "repeats within the interval are not");
        }
        now.set(now.get().plusSeconds(120));
        assertTrue(health.failed(toQueue, "queue missing-queue does not exist", LONG_RETRY), "a reminder once the interval passed");
        assertEquals(102, health.failure(toQueue.id()).orElseThrow().attempts());
    }

    /** Each node's view of delivery: two nodes' workers take retries from the same replicated queue. */
    private final DeliveryHealth nodeA = health;
    private final DeliveryHealth nodeB = new DeliveryHealth(now::get, Duration.ofMinutes(5));

    @Test
    void aFailureOnOneNodeStopsCountingThereOnceItsRetryIsOverdueAfterAnotherNodesRetrySucceeded() {
        Duration retry = Duration.ofSeconds(10);
        nodeA.failed(toQueue, "queue missing-queue does not exist", retry);
        assertEquals(1L, nodeA.failingByTopic().getOrDefault(java.util.List.of("alerts", "sqs"), 0L));
        now.set(now.get().plus(retry).plusSeconds(1));
        nodeB.delivered(toQueue); // node B took the retry and delivered it: node A is never told
        now.set(now.get().plus(DeliveryHealth.RETRY_GRACE).minusSeconds(2));
        assertEquals(1, nodeA.failing("sqs"), "within the grace the retry may still be under way");
        now.set(now.get().plusSeconds(2));
        assertEquals(0L, nodeA.failingByTopic().getOrDefault(java.util.List.of("alerts", "sqs"), 0L), "stale on node A");
        assertEquals(0, nodeA.failing("sqs"));
        assertTrue(nodeA.failure(toQueue.id()).isEmpty(), "GetSubscriptionAttributes no longer names the old error");
        assertEquals(0, nodeB.failing("sqs"));
    }

    @Test
    void aRetryThatFailsAgainOnAnotherNodeMovesTheFailureThereSoTheMaximumOverNodesStaysOne() {
        Duration retry = Duration.ofSeconds(10);
        nodeA.failed(toQueue, "queue missing-queue does not exist", retry);
        for (int round = 0; round < 5; round++) {
            now.set(now.get().plus(retry).plusSeconds(3));
            nodeB.failed(toQueue, "queue missing-queue does not exist", retry);
            assertEquals(1, Math.max(nodeA.failing("sqs"), nodeB.failing("sqs")), "round " + round);
        }
        assertEquals(0, nodeA.failing("sqs"), "node A's failure was retried (and failed) elsewhere long ago");
        assertEquals(1, nodeB.failing("sqs"));
    }

    @Test
    void aFailureWhoseRetryIsStillDueKeepsCounting() {
        nodeA.failed(toQueue, "the endpoint answered HTTP 500", Duration.ofMinutes(20));
        now.set(now.get().plusSeconds(20 * 60 + 29));
        assertEquals(1, nodeA.failing("sqs"));
    }

    @Test
    void aSuccessClearsTheFailureAndTheGaugeCountsByProtocol() {
        health.failed(toQueue, "queue missing-queue does not exist", LONG_RETRY);
        assertEquals(1, health.failing("sqs"));
        assertEquals(0, health.failing("https"));
        health.delivered(toQueue);
        assertEquals(0, health.failing("sqs"));
        assertTrue(health.failure(toQueue.id()).isEmpty());
        assertTrue(health.failed(toQueue, "again", LONG_RETRY), "a new failure after a recovery is logged at once");
    }

    @Test
    void deletedSubscriptionsAreForgotten() {
        health.failed(toQueue, "queue missing-queue does not exist", LONG_RETRY);
        health.retainOnly(Set.of());
        assertEquals(0, health.failing("sqs"));
    }

    @Test
    void aMissingQueueIsDescribedByItsNameWithoutExceptionTypes() {
        String reason = DeliveryHealth.describe(toQueue, new CompletionException(
                SqsError.QUEUE_DOES_NOT_EXIST.exception("The specified queue does not exist.")));
        assertEquals("queue missing-queue does not exist", reason);
        assertEquals("the endpoint could not be reached", DeliveryHealth.describe(toQueue,
                new CompletionException(new java.net.ConnectException("Connection refused"))));
        assertFalse(DeliveryHealth.describe(toQueue, new IllegalStateException("x")).contains("Exception"));
    }
}
