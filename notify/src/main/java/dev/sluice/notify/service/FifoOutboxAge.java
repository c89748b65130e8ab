package dev.sluice.notify.service;

import java.time.Duration;
import java.time.Instant;

/**
 * How close a FIFO topic's held outbox message is to the outbox's retention. A FIFO topic's group with a refused copy
 * stays in the outbox, under its first send's retention ({@link InternalQueues#RETENTION_SECONDS}, 14 days), while
 * SNS's policy for queues retries for about 23 days: past the retention the outbox would drop the held message and
 * every later message of its group, acknowledged publishes all. So fanout gives up on the refused copy first: from
 * {@link #GIVE_UP_MARGIN} before the retention its attempts count as spent (to the subscription's dead-letter queue,
 * or abandoned without one, as SNS discards what it cannot deliver); from {@link #LAST_MARGIN} before, a copy the
 * dead-letter queue refuses too is abandoned as well. Pure; any thread.
 */
enum FifoOutboxAge {
    /** Within its retries. */
    YOUNG,
    /** Its attempts count as spent: the copy goes to the dead-letter queue, or is abandoned without one. */
    GIVE_UP,
    /** The outbox drops it soon: a copy not stored anywhere by now is abandoned. */
    LAST_CHANCE;

    /**
     * A day before the retention: SNS's retries every 20 s leave a day of ~4,000 tries to reach the dead-letter queue
     * (one that refuses for a moment, a node restarting) before the last hour.
     */
    static final Duration GIVE_UP_MARGIN = Duration.ofDays(1);
    /** An hour before the retention: room for retries 20 s apart and a slow node, well before the outbox drops it. */
    static final Duration LAST_MARGIN = Duration.ofHours(1);

    /** The stage of an outbox message sent at {@code sentTimestamp} (epoch millis as text; YOUNG when unknown). */
    static FifoOutboxAge of(String sentTimestamp, Instant now) {
        if (sentTimestamp == null) {
            return YOUNG;
        }
        long sentMillis;
        try {
            sentMillis = Long.parseLong(sentTimestamp);
        } catch (NumberFormatException e) {
            return YOUNG;
        }
        Duration age = Duration.ofMillis(Math.max(0, now.toEpochMilli() - sentMillis));
        Duration retention = Duration.ofSeconds(Long.parseLong(InternalQueues.RETENTION_SECONDS));
        if (age.compareTo(retention.minus(LAST_MARGIN)) >= 0) {
            return LAST_CHANCE;
        }
        return age.compareTo(retention.minus(GIVE_UP_MARGIN)) >= 0 ? GIVE_UP : YOUNG;
    }
}
