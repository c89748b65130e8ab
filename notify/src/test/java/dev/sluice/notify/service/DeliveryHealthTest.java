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

    @Test
    void aFailingSubscriptionIsLoggedOnceThenAtMostOncePerInterval() {
        assertTrue(health.failed(toQueue, "queue missing-queue does not exist"), "the first failure is logged");
        for (int i = 0; i < 100; i++) {
            now.set(now.get().plusSeconds(2));
            assertFalse(health.failed(toQueue, "queue missing-queue does not exist"), "repeats within the interval are not");
        }
        now.set(now.get().plusSeconds(120));
        assertTrue(health.failed(toQueue, "queue missing-queue does not exist"), "a reminder once the interval passed");
        assertEquals(102, health.failure(toQueue.id()).orElseThrow().attempts());
    }

    @Test
    void aSuccessClearsTheFailureAndTheGaugeCountsByProtocol() {
        health.failed(toQueue, "queue missing-queue does not exist");
        assertEquals(1, health.failing("sqs"));
        assertEquals(0, health.failing("https"));
        health.delivered(toQueue);
        assertEquals(0, health.failing("sqs"));
        assertTrue(health.failure(toQueue.id()).isEmpty());
        assertTrue(health.failed(toQueue, "again"), "a new failure after a recovery is logged at once");
    }

    @Test
    void deletedSubscriptionsAreForgotten() {
        health.failed(toQueue, "queue missing-queue does not exist");
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
