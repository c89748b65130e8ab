package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NotificationCountsTest {

    @Test
    void publishSizesFallIntoTheirBucketsPerTopicAndAddUp() {
        NotificationCounts counts = new NotificationCounts();
        counts.published("t", 1024);
        counts.published("t", 1025);
        counts.published("t", 300_000);
        NotificationCounts.Distribution sizes = counts.publishSizes().get("t");
        assertArrayEquals(new long[] {1, 1, 0, 0, 0, 1}, sizes.buckets(), "1 KiB is in the 1 KiB bucket, 1 KiB + 1 in the next");
        assertEquals(1024 + 1025 + 300_000, sizes.sum());
        assertEquals(3L, counts.snapshot().get(List.of("PUBLISHED", "t", "")));
    }

    @Test
    void latenciesAreKeptPerProtocolAndNeverNegative() {
        NotificationCounts counts = new NotificationCounts();
        counts.latency("sqs", 0.002);
        counts.latency("sqs", -1);
        counts.latency("http", 40);
        assertEquals(2, counts.latencies().get("sqs").buckets()[0], "a clock step backwards counts as 0 s");
        assertEquals(1, counts.latencies().get("http").buckets()[7], "40 s is in the 300 s bucket");
    }

    @Test
    void deadLettersAreCountedPerTopicAndProtocol() {
        NotificationCounts counts = new NotificationCounts();
        counts.deadLettered("t", "http", 1);
        counts.deadLettered("t", "http", 2);
        counts.deadLettered("t", "sqs", 0);
        assertEquals(3L, counts.snapshot().get(List.of("DEAD_LETTERED", "t", "http")));
        assertTrue(!counts.snapshot().containsKey(List.of("DEAD_LETTERED", "t", "sqs")), "nothing counted, no series");
    }

    @Test
    void theSecondsSinceAPublishAreReadFromItsSnsTimestamp() {
        Instant now = Instant.parse("2026-12-05T10:00:01.500Z");
        assertEquals(OptionalDouble.of(1.5), DeliveryMessages.secondsSince("2026-12-05T10:00:00.000Z", now));
        assertEquals(OptionalDouble.empty(), DeliveryMessages.secondsSince(null, now), "a copy queued before the attribute");
        assertEquals(OptionalDouble.empty(), DeliveryMessages.secondsSince("yesterday", now));
    }
}
