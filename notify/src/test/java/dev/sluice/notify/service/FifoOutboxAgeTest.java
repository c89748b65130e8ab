package dev.sluice.notify.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FifoOutboxAgeTest {
    private static final Instant SENT = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(14);

    private static FifoOutboxAge at(Duration age) {
        return FifoOutboxAge.of(Long.toString(SENT.toEpochMilli()), SENT.plus(age));
    }

    @Test
    void aHeldMessageIsWithinItsRetriesUntilADayBeforeTheRetention() {
        assertEquals(FifoOutboxAge.YOUNG, at(Duration.ZERO));
        assertEquals(FifoOutboxAge.YOUNG, at(RETENTION.minusDays(1).minusMillis(1)));
    }

    @Test
    void aDayBeforeTheRetentionItsAttemptsCountAsSpent() {
        assertEquals(FifoOutboxAge.GIVE_UP, at(RETENTION.minusDays(1)));
        assertEquals(FifoOutboxAge.GIVE_UP, at(RETENTION.minusHours(1).minusMillis(1)));
    }

    @Test
    void inTheRetentionsLastHourItIsItsLastChance() {
        assertEquals(FifoOutboxAge.LAST_CHANCE, at(RETENTION.minusHours(1)));
        assertEquals(FifoOutboxAge.LAST_CHANCE, at(RETENTION.plusDays(1)));
    }

    @Test
    void anUnknownOrUnreadableSentTimeCountsAsYoung() {
        assertEquals(FifoOutboxAge.YOUNG, FifoOutboxAge.of(null, SENT));
        assertEquals(FifoOutboxAge.YOUNG, FifoOutboxAge.of("yesterday", SENT));
    }
}
