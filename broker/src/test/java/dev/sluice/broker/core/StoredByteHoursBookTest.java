package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.service.SqsLimits;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Stored byte-hours in the queue rules alone, for the ways a message leaves its queue that the SDK test does not
 * script: retention expiry, a move to the dead-letter queue, the queue's deletion, a queue closed for a migration's
 * copy, and internal queues (never billed). Times are whatever each entry is stamped with.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class StoredByteHoursBookTest {
    private static final long SECOND = 1_000;
    /** 2030-01-01T10:00:00Z. */
    private static final long TEN = 1_893_492_000_000L;
    /** A body of 3,600 bytes: each second it is stored is one byte-hour. */
    private static final String BODY = "x".repeat(3_600);

    private final InMemoryQueueStorage storage = new InMemoryQueueStorage();
    private final QueueBook book = new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()),
            "us-east-1", "000000000000", new EngineLimits(3, 3, 300_000), storage, name -> { });
    private final TestStamp stamp = new TestStamp();
    /** Byte-hours billed, per account and hour. */
    private final Map<String, Long> billed = new TreeMap<>();

    /** Stamps the next entry at {@code millis} and bills into {@link #billed}. */
    private void at(long millis) {
        stamp.now = millis;
        book.meterInto((account, hour, kind, amount) -> {
            assertEquals(UsageKind.STORED_MESSAGE_BYTE_HOURS, kind);
            billed.merge(account + "@" + (hour - TEN) / 3_600_000, amount, Long::sum);
        }, millis);
    }

    private void send(String queue) {
        book.send(queue, List.of(new SendEntry("e", BODY, null, Map.of(), null, null, null)), stamp);
    }

    @Test
    void anExpiredMessageIsBilledUntilTheReceiveThatDropsIt() {
        at(TEN);
        book.createQueue("short", Map.of("MessageRetentionPeriod", "60"), Map.of(), stamp);
        send("short");
        at(TEN + 90 * SECOND);
        assertEquals(List.of(), book.receive("short", 10, null, null, stamp));
        at(TEN + 3_000 * SECOND);
        book.accrueAll();
        assertEquals(Map.of("000000000000@0", 90L), billed);
    }

    @Test
    void aDeadLetterIsBilledInItsSourceUntilTheMoveThenInItsDeadLetterQueueUntilThatIsDeleted() {
        at(TEN);
        book.createQueue("222222222222/dlq", Map.of(), Map.of(), stamp);
        book.createQueue("222222222222/work", Map.of("VisibilityTimeout", "10", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:222222222222:dlq\",\"maxReceiveCount\":\"1\"}"), Map.of(),
                stamp);
        long deadLetterQueueId = book.queueId("222222222222/dlq");
        send("222222222222/work");
        assertEquals(1, book.receive("222222222222/work", 1, null, null, stamp).size());
        at(TEN + 3_590 * SECOND);
        // Received once already: this receive moves it to the dead-letter queue.
        assertEquals(List.of(), book.receive("222222222222/work", 1, null, null, stamp));
        at(TEN + 3_620 * SECOND);
        book.deleteQueue("222222222222/dlq", stamp);
        // work: 3,590 s; dlq: 10 s in hour 10, 20 s in hour 11.
        assertEquals(Map.of("222222222222@0", 3_590L + 10, "222222222222@1", 20L), billed);
        assertEquals(false, storage.accruals.containsKey(deadLetterQueueId), "a deleted queue leaves no billing position");
    }

    @Test
    void internalQueuesAndQueuesClosedForACopyAreNotBilled() {
        at(TEN);
        book.createQueue("sluice-internal-outbox-1", Map.of(), Map.of(), stamp);
        book.createQueue("moving", Map.of(), Map.of(), stamp);
        send("sluice-internal-outbox-1");
        send("moving");
        at(TEN + 100 * SECOND);
        book.setLayout("moving", new QueueLayout(QueueLayout.Fence.CLOSED, 0, 0));
        at(TEN + 1_000 * SECOND);
        book.accrueAll();
        book.setLayout("moving", QueueLayout.OPEN);
        at(TEN + 1_010 * SECOND);
        book.accrueAll();
        // 100 s before the close and 10 s after the reopening; the outbox never.
        assertEquals(Map.of("000000000000@0", 110L), billed);
    }

    @Test
    void aQueueDeletedWithMessagesIsBilledUpToItsDeletion() {
        at(TEN + 3_500 * SECOND);
        book.createQueue("gone", Map.of(), Map.of(), stamp);
        send("gone");
        send("gone");
        at(TEN + 3_700 * SECOND);
        book.deleteQueue("gone", stamp);
        at(TEN + 9_000 * SECOND);
        book.accrueAll();
        assertEquals(Map.of("000000000000@0", 200L, "000000000000@1", 200L), billed);
    }
}
