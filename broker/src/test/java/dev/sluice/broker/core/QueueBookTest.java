package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.service.SqsLimits;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The queue rules in isolation: time is whatever the test stamps, storage is a map. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueBookTest {
    private final InMemoryQueueStorage storage = new InMemoryQueueStorage();
    private final List<String> wakeups = new ArrayList<>();
    private final QueueBook book = new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()),
            "us-east-1", "000000000000", new EngineLimits(3, 3, 300_000), storage, wakeups::add);
    private final TestStamp stamp = new TestStamp();

    private void send(String queue, String body) {
        book.send(queue, List.of(new SendEntry("e", body, null, Map.of(), null, null, null)), stamp);
    }

    private List<ReceivedMessage> receive(String queue, int max) {
        return book.receive(queue, max, null, null, stamp);
    }

    @Test
    void messagesPastTheirRetentionPeriodAreDeletedInsteadOfDelivered() {
        book.createQueue("short", Map.of("MessageRetentionPeriod", "60"), Map.of(), stamp);
        send("short", "old");
        stamp.now += 61_000;
        send("short", "fresh");

        List<ReceivedMessage> received = receive("short", 10);

        assertEquals(List.of("fresh"), received.stream().map(ReceivedMessage::body).toList());
        assertEquals(1, storage.messages.size(), "the expired message is gone from storage too");
    }

    @Test
    void aForgedReceiptHandleOfAMessageNeverReceivedNeitherDeletesNorChangesIt() {
        book.createQueue("unread", Map.of(), Map.of(), stamp);
        send("unread", "never received");
        long seq = storage.messages.keySet().stream().map(key -> Long.parseLong(key.substring(key.indexOf('/') + 1)))
                .findFirst().orElseThrow();
        // A message never received has no receipt handle; one built with its queue id, sequence number and nonce 0
        // (what an unreceived message's state holds) must not reach it.
        String forged = new ReceiptHandle(book.queueId("unread"), seq, 0).encode();

        book.delete("unread", List.of(new HandleEntry("d", forged)));
        List<EntryOutcome> changed = book.changeVisibility("unread", List.of(new VisibilityChange("c", forged, 600)), stamp);

        assertEquals(1, storage.messages.size(), "the forged handle deleted nothing");
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, changed.get(0).failure().error(), "answered as a stale handle, as if nothing were there");
        assertEquals(List.of("never received"), receive("unread", 10).stream().map(ReceivedMessage::body).toList());
    }

    @Test
    void aDelayedMessageIsInvisibleUntilItsDelayPasses() {
        book.createQueue("delayed", Map.of(), Map.of(), stamp);
        book.send("delayed", List.of(new SendEntry("e", "later", 5, Map.of(), null, null, null)), stamp);

        assertTrue(receive("delayed", 1).isEmpty());
        stamp.now += 5_000;
        assertEquals(1, receive("delayed", 1).size());
    }

    @Test
    void receivingBeyondTheInFlightLimitIsOverLimit() {
        book.createQueue("busy", Map.of(), Map.of(), stamp);
        for (int i = 0; i < 5; i++) {
            send("busy", "m" + i);
        }
        assertEquals(3, receive("busy", 10).size());

        SqsException overLimit = assertThrows(SqsException.class, () -> receive("busy", 1));
        assertEquals(SqsError.OVER_LIMIT, overLimit.error());
    }

    @Test
    void aStaleReceiptHandleDoesNotDeleteAndCannotChangeVisibility() {
        book.createQueue("stale", Map.of("VisibilityTimeout", "1"), Map.of(), stamp);
        send("stale", "x");
        String first = receive("stale", 1).get(0).receiptHandle();
        stamp.now += 1_000;
        String second = receive("stale", 1).get(0).receiptHandle();

        assertTrue(book.delete("stale", List.of(new HandleEntry("1", first))).get(0).succeeded());
        assertEquals(1, storage.messages.size(), "still there");
        EntryOutcome change = book.changeVisibility("stale", List.of(new VisibilityChange("1", first, 10)), stamp).get(0);
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, change.failure().error());
        assertTrue(book.delete("stale", List.of(new HandleEntry("1", second))).get(0).succeeded());
        assertTrue(storage.messages.isEmpty());
    }

    @Test
    void changingVisibilityOfAVisibleMessageIsMessageNotInflight() {
        book.createQueue("visible", Map.of("VisibilityTimeout", "1"), Map.of(), stamp);
        send("visible", "x");
        String handle = receive("visible", 1).get(0).receiptHandle();
        stamp.now += 2_000;

        EntryOutcome outcome = book.changeVisibility("visible", List.of(new VisibilityChange("1", handle, 10)), stamp).get(0);

        assertEquals(SqsError.MESSAGE_NOT_INFLIGHT, outcome.failure().error());
    }

    @Test
    void visibilityZeroMakesTheMessageReceivableAtOnceAndWakesWaiters() {
        book.createQueue("reset", Map.of(), Map.of(), stamp);
        send("reset", "x");
        String handle = receive("reset", 1).get(0).receiptHandle();
        wakeups.clear();

        book.changeVisibility("reset", List.of(new VisibilityChange("1", handle, 0)), stamp);

        assertEquals(List.of("reset"), wakeups);
        assertEquals(1, receive("reset", 1).size());
    }

    @Test
    void aMoveTaskReturnsDeadLettersToTheirSourceQueue() {
        book.createQueue("dlq", Map.of(), Map.of(), stamp);
        book.createQueue("work", Map.of("VisibilityTimeout", "1", "RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\",\"maxReceiveCount\":\"1\"}"), Map.of(), stamp);
        send("work", "poison");
        receive("work", 1);
        stamp.now += 1_000;
        assertTrue(receive("work", 1).isEmpty(), "moved to the DLQ instead");

        MoveTask task = book.moveTasks().start("arn:aws:sqs:us-east-1:000000000000:dlq", null, null, stamp);
        book.moveTasks().step(task.handle(), 10, stamp);

        assertEquals(MoveTask.COMPLETED, book.moveTasks().list("arn:aws:sqs:us-east-1:000000000000:dlq", 1).get(0).status());
        assertEquals("poison", receive("work", 1).get(0).body());
        assertFalse(book.moveTasks().list("arn:aws:sqs:us-east-1:000000000000:dlq", 1).get(0).isRunning());
    }

    @Test
    void aMoveTaskStepOfTheFirstCodeStillMovesUntilTheQueueIsEmptySoOldLogsReplayAsApplied() {
        String dlq = "arn:aws:sqs:us-east-1:000000000000:dlq";
        book.createQueue("dlq", Map.of(), Map.of(), stamp);
        book.createQueue("work", Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + dlq + "\",\"maxReceiveCount\":\"1\"}"),
                Map.of(), stamp);
        book.createQueue("replay", Map.of(), Map.of(), stamp);
        send("dlq", "early");
        MoveTask counted = book.moveTasks().start(dlq, "arn:aws:sqs:us-east-1:000000000000:replay", null, stamp);
        send("dlq", "late");
        book.moveTasks().step(counted.handle(), 10, true, stamp);
        assertEquals(List.of(1L, 1L), List.of(book.moveTasks().list(dlq, 1).get(0).movedCount(),
                book.moveTasks().list(dlq, 1).get(0).toMoveCount()), "moved, to move");
        assertEquals(MoveTask.COMPLETED, book.moveTasks().list(dlq, 1).get(0).status());

        stamp.now += 1;
        MoveTask legacy = book.moveTasks().start(dlq, "arn:aws:sqs:us-east-1:000000000000:replay", null, stamp);
        send("dlq", "later");
        book.moveTasks().step(legacy.handle(), 10, false, stamp);
        assertEquals(2L, book.moveTasks().list(dlq, 1).get(0).movedCount(), "code 12 moves past the count, as it did");
        assertEquals(MoveTask.COMPLETED, book.moveTasks().list(dlq, 1).get(0).status());
    }

    @Test
    void aRedrivePolicyMustNameAnExistingQueue() {
        SqsException rejected = assertThrows(SqsException.class, () -> book.createQueue("orphan", Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:nowhere\",\"maxReceiveCount\":\"3\"}"), Map.of(), stamp));
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, rejected.error());
        assertFalse(book.exists("orphan"));
    }

    @Test
    void approximateCountsFollowTheClockBetweenReceives() {
        book.createQueue("counted", Map.of("VisibilityTimeout", "5"), Map.of(), stamp);
        send("counted", "a");
        book.send("counted", List.of(new SendEntry("e", "b", 10, Map.of(), null, null, null)), stamp);
        receive("counted", 1);
        List<String> names = List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed");

        assertEquals(List.of("0", "1", "1"), names.stream().map(book.attributes("counted", names, stamp.now)::get).toList());
        assertEquals(List.of("1", "0", "1"), names.stream().map(book.attributes("counted", names, stamp.now + 5_000)::get).toList());
        assertEquals(List.of("2", "0", "0"), names.stream().map(book.attributes("counted", names, stamp.now + 10_000)::get).toList());
    }

    @Test
    void aDeadLetterQueuesRedriveAllowPolicyDecidesWhichQueuesMayUseIt() {
        book.createQueue("closed-dlq", Map.of("RedriveAllowPolicy", "{\"redrivePermission\":\"denyAll\"}"), Map.of(), stamp);
        book.createQueue("picky-dlq", Map.of("RedriveAllowPolicy",
                "{\"redrivePermission\":\"byQueue\",\"sourceQueueArns\":[\"arn:aws:sqs:us-east-1:000000000000:chosen\"]}"),
                Map.of(), stamp);
        String toClosed = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:closed-dlq\",\"maxReceiveCount\":\"3\"}";
        String toPicky = "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:picky-dlq\",\"maxReceiveCount\":\"3\"}";

        assertThrows(SqsException.class, () -> book.createQueue("any", Map.of("RedrivePolicy", toClosed), Map.of(), stamp));
        assertThrows(SqsException.class, () -> book.createQueue("other", Map.of("RedrivePolicy", toPicky), Map.of(), stamp));
        book.createQueue("chosen", Map.of("RedrivePolicy", toPicky), Map.of(), stamp);
        assertTrue(book.exists("chosen"));
    }

    @Test
    void aReplicaRebuiltFromStorageAppliesTheNextCommandsExactlyLikeTheOriginal() {
        book.createQueue("drained", Map.of(), Map.of(), stamp);
        send("drained", "gone");
        String handle = receive("drained", 1).get(0).receiptHandle();
        book.delete("drained", List.of(new HandleEntry("1", handle)));

        // A restarted replica knows only what storage holds: no message, no counters.
        QueueBook rebuilt = new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()),
                "us-east-1", "000000000000", new EngineLimits(3, 3, 300_000), new InMemoryQueueStorage(), name -> { });
        storage.queues.values().forEach(rebuilt::restoreQueue);
        long savedCounter = stamp.counter;
        send("drained", "next");
        String original = receive("drained", 1).get(0).receiptHandle();
        stamp.counter = savedCounter;
        rebuilt.send("drained", List.of(new SendEntry("e", "next", null, Map.of(), null, null, null)), stamp);
        String replica = rebuilt.receive("drained", 1, null, null, stamp).get(0).receiptHandle();

        assertEquals(original, replica, "same message sequence number and nonce on both replicas");
    }
}
