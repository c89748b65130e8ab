package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.service.SqsLimits;
import dev.sluice.clientsdk.SqsError;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The FIFO rules in isolation (group order and locks, deduplication, receive attempts, redrive) and fair standard queues. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FifoQueueBookTest {
    private static final long FIVE_MINUTES = 300_000;
    private final InMemoryQueueStorage storage = new InMemoryQueueStorage();
    private final TestStamp stamp = new TestStamp();
    private final QueueBook book = newBook(storage);

    private static QueueBook newBook(QueueStorage storage) {
        return new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()), "us-east-1",
                "000000000000", new EngineLimits(100, 100, FIVE_MINUTES), storage, name -> { });
    }

    private void create(String name, Map<String, String> attributes) {
        Map<String, String> all = new java.util.HashMap<>(attributes);
        all.put("FifoQueue", "true");
        book.createQueue(name, all, Map.of(), stamp);
    }

    private EntryOutcome send(String queue, String group, String body, String deduplicationId) {
        return book.send(queue, List.of(new SendEntry("e", body, null, Map.of(), null, group, deduplicationId)), stamp).get(0);
    }

    private List<ReceivedMessage> receive(String queue, int max) {
        return book.receive(queue, max, null, null, stamp);
    }

    private static List<String> bodies(List<ReceivedMessage> messages) {
        return messages.stream().map(ReceivedMessage::body).toList();
    }

    private void delete(String queue, ReceivedMessage message) {
        book.delete(queue, List.of(new HandleEntry("d", message.receiptHandle())));
    }

    @Test
    void aReceiveTakesTheOldestGroupsRunThenOtherGroupsAndLocksThemWhileInFlight() {
        create("orders.fifo", Map.of("ContentBasedDeduplication", "true"));
        send("orders.fifo", "a", "a1", null);
        send("orders.fifo", "b", "b1", null);
        send("orders.fifo", "a", "a2", null);
        send("orders.fifo", "b", "b2", null);

        assertEquals(List.of("a1", "a2", "b1"), bodies(receive("orders.fifo", 3)));
        assertEquals(List.of(), bodies(receive("orders.fifo", 10)), "a is locked, b is locked (b1 in flight)");
    }

    @Test
    void aGroupStaysLockedUntilEveryMessageOfItIsDeletedOrVisibleAgain() {
        create("locks.fifo", Map.of("ContentBasedDeduplication", "true", "VisibilityTimeout", "30"));
        send("locks.fifo", "a", "a1", null);
        send("locks.fifo", "a", "a2", null);
        send("locks.fifo", "a", "a3", null);
        send("locks.fifo", "b", "b1", null);

        List<ReceivedMessage> first = receive("locks.fifo", 2);
        assertEquals(List.of("a1", "a2"), bodies(first));
        delete("locks.fifo", first.get(0));
        assertEquals(List.of("b1"), bodies(receive("locks.fifo", 10)), "a2 still holds group a");
        delete("locks.fifo", first.get(1));
        assertEquals(List.of("a3"), bodies(receive("locks.fifo", 10)));

        stamp.now += 30_000;
        assertEquals(List.of("a3", "b1"), bodies(receive("locks.fifo", 10)), "timed-out messages come back in order");
    }

    @Test
    void aMessageMadeVisibleAgainIsDeliveredBeforeTheRestOfItsGroup() {
        create("retry.fifo", Map.of("ContentBasedDeduplication", "true"));
        send("retry.fifo", "a", "a1", null);
        send("retry.fifo", "a", "a2", null);
        ReceivedMessage a1 = receive("retry.fifo", 1).get(0);
        book.changeVisibility("retry.fifo", List.of(new VisibilityChange("v", a1.receiptHandle(), 0)), stamp);
        assertEquals(List.of("a1", "a2"), bodies(receive("retry.fifo", 10)));
    }

    @Test
    void aDuplicateWithinFiveMinutesGetsTheOriginalIdsAndIsNeverDeliveredEvenAfterADelete() {
        create("dedup.fifo", Map.of());
        EntryOutcome original = send("dedup.fifo", "g", "payment", "pay-1");
        ReceivedMessage received = receive("dedup.fifo", 10).get(0);
        delete("dedup.fifo", received);
        stamp.now += FIVE_MINUTES - 1;
        EntryOutcome duplicate = send("dedup.fifo", "g", "payment again", "pay-1");

        assertEquals(original.messageId(), duplicate.messageId());
        assertEquals(original.sequenceNumber(), duplicate.sequenceNumber());
        assertEquals(List.of(), receive("dedup.fifo", 10));

        stamp.now += 1;
        EntryOutcome later = send("dedup.fifo", "g", "payment", "pay-1");
        assertNotEquals(original.messageId(), later.messageId(), "the interval has passed");
        assertTrue(later.sequenceNumber().compareTo(original.sequenceNumber()) > 0);
        assertEquals(20, later.sequenceNumber().length());
        assertEquals(List.of("payment"), bodies(receive("dedup.fifo", 10)));
    }

    @Test
    void contentBasedDeduplicationHashesTheBodyAndWithoutItAnIdIsRequired() {
        create("content.fifo", Map.of("ContentBasedDeduplication", "true"));
        EntryOutcome first = send("content.fifo", "g", "same", null);
        assertEquals(first.messageId(), send("content.fifo", "other", "same", null).messageId());
        ReceivedMessage message = receive("content.fifo", 10).get(0);
        assertEquals(64, message.systemAttributes().get("MessageDeduplicationId").length(), "SHA-256 hex");
        assertEquals("g", message.systemAttributes().get("MessageGroupId"));
        assertEquals(first.sequenceNumber(), message.systemAttributes().get("SequenceNumber"));

        create("explicit.fifo", Map.of());
        EntryOutcome refused = send("explicit.fifo", "g", "body", null);
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, refused.failure().error());
    }

    @Test
    void messageGroupScopeDeduplicatesWithinAGroupOnly() {
        create("scoped.fifo", Map.of("DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"));
        EntryOutcome a = send("scoped.fifo", "a", "x", "same-id");
        EntryOutcome b = send("scoped.fifo", "b", "x", "same-id");
        assertNotEquals(a.messageId(), b.messageId());
        assertEquals(a.messageId(), send("scoped.fifo", "a", "x", "same-id").messageId());
        assertEquals(2, receive("scoped.fifo", 10).size());
    }

    @Test
    void deduplicationRecordsSurviveARebuildFromStorageAndArePrunedAfterTheInterval() {
        create("durable.fifo", Map.of());
        EntryOutcome original = send("durable.fifo", "g", "x", "once");

        QueueBook rebuilt = newBook(storage);
        storage.queues.values().forEach(rebuilt::restoreQueue);
        long queueId = storage.queues.get("durable.fifo").id();
        storage.deduplications.forEach((key, record) -> rebuilt.restoreDeduplication(queueId,
                key.substring(key.indexOf('/') + 1), record));
        EntryOutcome retried = rebuilt.send("durable.fifo",
                List.of(new SendEntry("e", "x", null, Map.of(), null, "g", "once")), stamp).get(0);
        assertEquals(original.messageId(), retried.messageId());

        stamp.now += FIVE_MINUTES;
        send("durable.fifo", "g", "y", "another");
        assertEquals(1, storage.deduplications.size(), "the lapsed record is pruned, the new one kept");
    }

    @Test
    void aRetriedReceiveAttemptGetsTheSameMessagesAndHandlesUntilOneChanges() {
        create("attempts.fifo", Map.of("ContentBasedDeduplication", "true"));
        send("attempts.fifo", "a", "a1", null);
        send("attempts.fifo", "a", "a2", null);
        send("attempts.fifo", "b", "b1", null);

        List<ReceivedMessage> first = book.receive("attempts.fifo", 2, null, "try-1", stamp);
        stamp.now += 10_000;
        List<ReceivedMessage> retried = book.receive("attempts.fifo", 2, null, "try-1", stamp);
        assertEquals(first, retried);
        stamp.now += 25_000;
        assertEquals(List.of("b1"), bodies(receive("attempts.fifo", 10)), "the retry reset the visibility timeout");

        delete("attempts.fifo", first.get(0));
        List<ReceivedMessage> afterDelete = book.receive("attempts.fifo", 2, null, "try-1", stamp);
        assertEquals(List.of(), afterDelete, "a changed attempt is a new receive: a2 still locks group a");
    }

    @Test
    void aMessageOverMaxReceiveCountMovesToTheFifoDeadLetterQueueAndItsGroupGoesOnInOrder() {
        create("dead.fifo", Map.of());
        create("work.fifo", Map.of("ContentBasedDeduplication", "true", "VisibilityTimeout", "10", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dead.fifo\",\"maxReceiveCount\":\"1\"}"));
        send("work.fifo", "g", "poison", null);
        send("work.fifo", "g", "next", null);
        send("work.fifo", "g", "last", null);

        assertEquals(List.of("poison"), bodies(receive("work.fifo", 1)));
        stamp.now += 10_000;
        assertEquals(List.of("next", "last"), bodies(receive("work.fifo", 10)));
        ReceivedMessage dead = receive("dead.fifo", 10).get(0);
        assertEquals("poison", dead.body());
        assertEquals("g", dead.systemAttributes().get("MessageGroupId"));
        assertEquals(dead.messageId(), dead.systemAttributes().get("MessageDeduplicationId"),
                "a FIFO dead letter's deduplication id is its message id");
    }

    @Test
    void aMoveTaskFromAFifoDeadLetterQueueKeepsEachGroupInOrder() {
        create("back.fifo", Map.of());
        create("source.fifo", Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:back.fifo\",\"maxReceiveCount\":\"3\"}"));
        for (int i = 0; i < 6; i++) {
            send("back.fifo", i % 2 == 0 ? "a" : "b", "m" + i, "d" + i);
        }
        MoveTask task = book.moveTasks().start("arn:aws:sqs:us-east-1:000000000000:back.fifo",
                "arn:aws:sqs:us-east-1:000000000000:source.fifo", null, stamp);
        book.moveTasks().step(task.handle(), 100, stamp);

        assertEquals(List.of("m0", "m2", "m4", "m1", "m3", "m5"), bodies(receive("source.fifo", 10)));

        book.createQueue("standard", Map.of(), Map.of(), stamp);
        SqsError error = org.junit.jupiter.api.Assertions.assertThrows(dev.sluice.clientsdk.SqsException.class,
                () -> book.moveTasks().start("arn:aws:sqs:us-east-1:000000000000:back.fifo",
                        "arn:aws:sqs:us-east-1:000000000000:standard", null, stamp)).error();
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, error, "a FIFO dead-letter queue moves to FIFO queues only");
    }

    private void sendStandard(String queue, String group, String body) {
        book.send(queue, List.of(new SendEntry("e", body, null, Map.of(), null, group, null)), stamp);
    }

    @Test
    void aFairQueuePassesOverANoisyTenantWhileAQuietOneHasMessages() {
        book.createQueue("shared", Map.of(), Map.of(), stamp);
        for (int i = 0; i < 60; i++) {
            sendStandard("shared", "noisy", "n" + i);
        }
        sendStandard("shared", "quiet", "q0");
        sendStandard("shared", null, "solo");
        sendStandard("shared", "quiet", "q1");

        for (int i = 0; i < 3; i++) {
            assertTrue(bodies(receive("shared", 10)).stream().allMatch(body -> body.startsWith("n")), "oldest first");
        }
        // 30 in flight, all of one tenant: it is noisy now; the quiet tenants go first, then the rest.
        assertEquals(List.of("q0", "solo", "q1", "n30", "n31"), bodies(receive("shared", 5)));
    }

    @Test
    void aTenantWithFewMessagesInFlightKeepsSendOrder() {
        book.createQueue("calm", Map.of(), Map.of(), stamp);
        for (int i = 0; i < 25; i++) {
            sendStandard("calm", "busy", "b" + i);
        }
        sendStandard("calm", "other", "o0");
        assertEquals(10, receive("calm", 10).size());
        assertEquals(10, receive("calm", 10).size());
        assertEquals(List.of("b20", "b21", "b22", "b23", "b24", "o0"), bodies(receive("calm", 10)),
                "20 in flight is under the 30 that makes a tenant noisy");
    }

    @Test
    void aFifoQueueAtItsOwnInFlightLimitReturnsNothingWithoutAnError() {
        QueueBook tight = new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()), "us-east-1",
                "000000000000", new EngineLimits(100, 2, FIVE_MINUTES), new InMemoryQueueStorage(), name -> { });
        tight.createQueue("tight.fifo", Map.of("FifoQueue", "true", "ContentBasedDeduplication", "true"), Map.of(), stamp);
        for (String group : List.of("a", "b", "c")) {
            tight.send("tight.fifo", List.of(new SendEntry("e", group, null, Map.of(), null, group, null)), stamp);
        }
        assertEquals(3, tight.receivableCount("tight.fifo"));
        assertEquals(2, tight.receive("tight.fifo", 10, null, null, stamp).size());
        assertEquals(List.of(), tight.receive("tight.fifo", 10, null, null, stamp),
                "at the limit a FIFO receive gets nothing and no error, as SQS documents");
        assertEquals(0, tight.receivableCount("tight.fifo"), "group c waits, and so do long polls instead of proposing receives");
    }

    @Test
    void aStandardQueueIgnoresReceiveRequestAttemptIds() {
        book.createQueue("plain", Map.of(), Map.of(), stamp);
        sendStandard("plain", null, "first");
        sendStandard("plain", null, "second");
        assertEquals(List.of("first"), bodies(book.receive("plain", 1, null, "same", stamp)));
        assertEquals(List.of("second"), bodies(book.receive("plain", 1, null, "same", stamp)));
        assertTrue(storage.receiveAttempts.isEmpty());
    }

    @Test
    void aFifoDeadLetterKeepsTheDeadLetterQueuesWholeRetentionAStandardOneDoesNot() {
        for (boolean fifo : List.of(true, false)) {
            String suffix = fifo ? ".fifo" : "";
            Map<String, String> kind = fifo ? Map.of("FifoQueue", "true") : Map.of();
            Map<String, String> dead = new java.util.HashMap<>(kind);
            dead.put("MessageRetentionPeriod", "120");
            book.createQueue("kept" + suffix, dead, Map.of(), stamp);
            Map<String, String> work = new java.util.HashMap<>(kind);
            work.put("VisibilityTimeout", "0");
            work.put("RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:kept" + suffix
                    + "\",\"maxReceiveCount\":\"1\"}");
            book.createQueue("failing" + suffix, work, Map.of(), stamp);
            book.send("failing" + suffix, List.of(new SendEntry("e", "late", null, Map.of(), null, fifo ? "g" : null,
                    fifo ? "d" : null)), stamp);
            receive("failing" + suffix, 1);
            stamp.now += 100_000;
            receive("failing" + suffix, 1); // moves it: 100 s after it was sent
            stamp.now += 60_000;
            assertEquals(fifo ? 1 : 0, receive("kept" + suffix, 10).size(),
                    fifo ? "FIFO: 120 s count from the move" : "standard: 120 s count from the send");
        }
    }

    @Test
    void aRedrivenMessageIsANewMessageWhoseRetentionCountsFromTheRedrive() {
        for (boolean fifo : List.of(true, false)) {
            String suffix = fifo ? ".fifo" : "";
            Map<String, String> dead = new java.util.HashMap<>(fifo ? Map.of("FifoQueue", "true") : Map.of());
            dead.put("MessageRetentionPeriod", "1209600");
            book.createQueue("parked" + suffix, dead, Map.of(), stamp);
            Map<String, String> work = new java.util.HashMap<>(dead);
            work.put("MessageRetentionPeriod", "60");
            work.put("VisibilityTimeout", "0");
            work.put("RedrivePolicy", "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:parked" + suffix
                    + "\",\"maxReceiveCount\":\"1\"}");
            book.createQueue("brief" + suffix, work, Map.of(), stamp);
            EntryOutcome sent = book.send("brief" + suffix, List.of(new SendEntry("e", "retry me", null, Map.of(), null,
                    fifo ? "g" : null, fifo ? "d" : null)), stamp).get(0);
            receive("brief" + suffix, 1);
            assertEquals(List.of(), receive("brief" + suffix, 1), "moved to the dead-letter queue");

            stamp.now += 600_000; // ten minutes parked: older than the source queue's 60 s retention
            MoveTask task = book.moveTasks().start("arn:aws:sqs:us-east-1:000000000000:parked" + suffix, null, null, stamp);
            book.moveTasks().step(task.handle(), 10, stamp);
            stamp.now += 1_000;
            List<ReceivedMessage> redriven = receive("brief" + suffix, 10);

            assertEquals(List.of("retry me"), bodies(redriven), "SQS resets the retention period of redriven messages");
            assertNotEquals(sent.messageId(), redriven.get(0).messageId(), "a redriven message gets a new MessageId");
            assertEquals(Long.toString(stamp.now - 1_000), redriven.get(0).systemAttributes().get("SentTimestamp"),
                    "and a new enqueue time");
        }
    }

    @Test
    void aFifoQueuesDelayIsRetroactiveForMessagesNotYetReceived() {
        create("late.fifo", Map.of("ContentBasedDeduplication", "true", "DelaySeconds", "60", "VisibilityTimeout", "0"));
        send("late.fifo", "a", "a1", null);
        stamp.now += 10_000;
        send("late.fifo", "b", "b1", null);
        book.setAttributes("late.fifo", Map.of("DelaySeconds", "15"), stamp);
        assertEquals(List.of(), bodies(receive("late.fifo", 10)), "a1 was sent 10 s ago: 5 s left of the new delay");
        stamp.now += 5_000;
        assertEquals(List.of("a1"), bodies(receive("late.fifo", 10)));
        stamp.now += 10_000;
        assertEquals(List.of("a1", "b1"), bodies(receive("late.fifo", 10)));

        book.setAttributes("late.fifo", Map.of("DelaySeconds", "900"), stamp);
        send("late.fifo", "c", "c1", null);
        book.setAttributes("late.fifo", Map.of("DelaySeconds", "0"), stamp);
        assertEquals(List.of("a1", "b1", "c1"), bodies(receive("late.fifo", 10)),
                "received messages are not delayed again; c1 is delayed no more");
    }
}
