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
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A queue's layout (fence and partition) refuses the message actions a node with a stale cached placement sends it,
 * and DeleteQueueIfEmpty decides emptiness and deletion in one apply.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueLayoutTest {
    private static final String ARN_PREFIX = "arn:aws:sqs:us-east-1:000000000000:";
    private static final QueueLayout SENDS_CLOSED = new QueueLayout(QueueLayout.Fence.SENDS_CLOSED, 0, 0);
    private static final QueueLayout CLOSED = new QueueLayout(QueueLayout.Fence.CLOSED, 0, 0);

    private final InMemoryQueueStorage storage = new InMemoryQueueStorage();
    private final List<String> wakeups = new ArrayList<>();
    private final QueueBook book = newBook(storage);
    private final TestStamp stamp = new TestStamp();

    private QueueBook newBook(InMemoryQueueStorage into) {
        return new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()), "us-east-1",
                "000000000000", new EngineLimits(100, 100, 300_000), into, wakeups::add);
    }

    private List<EntryOutcome> send(String queue, String body) {
        return book.send(queue, List.of(new SendEntry("e", body, null, Map.of(), null, null, null)), stamp);
    }

    private static SendEntry fifoEntry(String id, String messageGroupId) {
        return new SendEntry(id, "body-" + id, null, Map.of(), null, messageGroupId, "dedup-" + id);
    }

    private static void assertQueueMoved(Executable action) {
        SqsException refused = assertThrows(SqsException.class, action);
        assertEquals(SqsError.QUEUE_MOVED, refused.error());
    }

    @Test
    void aSendToAQueueClosedForSendsIsRefusedAsQueueMovedAndStoresNothing() {
        book.createQueue("moving", Map.of(), Map.of(), stamp);
        book.setLayout("moving", SENDS_CLOSED);

        assertQueueMoved(() -> send("moving", "late"));
        assertTrue(storage.messages.isEmpty());
    }

    @Test
    void aQueueClosedForSendsStillServesReceivesDeletesAndVisibilityChanges() {
        book.createQueue("draining", Map.of(), Map.of(), stamp);
        send("draining", "a");
        send("draining", "b");
        book.setLayout("draining", SENDS_CLOSED);

        List<ReceivedMessage> received = book.receive("draining", 2, null, null, stamp);
        assertEquals(2, received.size());
        assertTrue(book.delete("draining", List.of(new HandleEntry("1", received.get(0).receiptHandle()))).get(0).succeeded());
        assertTrue(book.changeVisibility("draining", List.of(new VisibilityChange("1", received.get(1).receiptHandle(), 0)),
                stamp).get(0).succeeded());
    }

    @Test
    void aClosedQueueRefusesEveryMessageActionAndChangeButAnswersReadsAndDeleteQueue() {
        book.createQueue("closed", Map.of(), Map.of(), stamp);
        send("closed", "a");
        String handle = book.receive("closed", 1, 0, null, stamp).get(0).receiptHandle();
        book.setLayout("closed", CLOSED);

        assertQueueMoved(() -> send("closed", "b"));
        assertQueueMoved(() -> book.receive("closed", 1, null, null, stamp));
        assertQueueMoved(() -> book.delete("closed", List.of(new HandleEntry("1", handle))));
        assertQueueMoved(() -> book.changeVisibility("closed", List.of(new VisibilityChange("1", handle, 0)), stamp));

        // A closed queue is being copied to another group (a FIFO migration): a change here would miss the copy.
        assertQueueMoved(() -> book.setAttributes("closed", Map.of("DelaySeconds", "3"), stamp));
        assertQueueMoved(() -> book.tag("closed", Map.of("team", "ops"), 50));
        assertQueueMoved(() -> book.purge("closed", stamp));
        assertEquals("0", book.attributes("closed", List.of("DelaySeconds"), stamp.now).get("DelaySeconds"));
        assertEquals(Map.of(), book.tags("closed"));
        book.deleteQueue("closed", stamp);
        assertFalse(book.exists("closed"));
    }

    @Test
    void reopeningAFencedQueueLetsItTakeSendsAgain() {
        book.createQueue("reopened", Map.of(), Map.of(), stamp);
        book.setLayout("reopened", CLOSED);
        book.setLayout("reopened", QueueLayout.OPEN);

        assertTrue(send("reopened", "a").get(0).succeeded());
    }

    @Test
    void fencingAQueueWakesItsLongPollsSoTheyLearnItMoved() {
        book.createQueue("polled", Map.of(), Map.of(), stamp);
        wakeups.clear();

        book.setLayout("polled", CLOSED);

        assertEquals(List.of("polled"), wakeups);
    }

    @Test
    void settingTheLayoutAQueueHasChangesNothing() {
        book.createQueue("same", Map.of(), Map.of(), stamp);
        book.setLayout("same", SENDS_CLOSED);
        storage.queues.remove("same");
        wakeups.clear();

        book.setLayout("same", SENDS_CLOSED);

        assertFalse(storage.queues.containsKey("same"), "a repeated layout writes nothing");
        assertTrue(wakeups.isEmpty());
    }

    @Test
    void aFifoPartitionRefusesTheWholeBatchWhenOneMessageGroupBelongsToAnotherPartition() {
        book.createQueue("orders.fifo", Map.of("FifoQueue", "true"), Map.of(), stamp);
        String mine = groupIn(1, 3);
        String other = groupIn(2, 3);
        book.setLayout("orders.fifo", new QueueLayout(QueueLayout.Fence.OPEN, 1, 3));

        assertQueueMoved(() -> book.send("orders.fifo", List.of(fifoEntry("1", mine), fifoEntry("2", other)), stamp));
        assertTrue(storage.messages.isEmpty(), "no part of the batch is stored");

        assertTrue(book.send("orders.fifo", List.of(fifoEntry("3", mine)), stamp).get(0).succeeded());
    }

    @Test
    void aPartitionTakesTheGroupsOfItsIndexUnderTheCountItWasToldNotTheOldOne() {
        book.createQueue("orders.fifo", Map.of("FifoQueue", "true"), Map.of(), stamp);
        String group = groupMovedBy(2, 4, 0);
        book.setLayout("orders.fifo", new QueueLayout(QueueLayout.Fence.OPEN, 0, 2));
        assertTrue(book.send("orders.fifo", List.of(fifoEntry("1", group)), stamp).get(0).succeeded());

        book.setLayout("orders.fifo", new QueueLayout(QueueLayout.Fence.OPEN, 0, 4));

        assertQueueMoved(() -> book.send("orders.fifo", List.of(fifoEntry("2", group)), stamp));
    }

    @Test
    void deleteIfEmptyDeletesAQueueWithoutMessages() {
        book.createQueue("empty", Map.of(), Map.of(), stamp);
        send("empty", "a");
        String handle = book.receive("empty", 1, null, null, stamp).get(0).receiptHandle();
        book.delete("empty", List.of(new HandleEntry("1", handle)));

        book.deleteQueueIfEmpty("empty", stamp);

        assertFalse(book.exists("empty"));
        assertFalse(storage.queues.containsKey("empty"));
    }

    @Test
    void deleteIfEmptyRefusesAQueueWithAVisibleAnInFlightOrADelayedMessageAndChangesNothing() {
        book.createQueue("visible", Map.of(), Map.of(), stamp);
        send("visible", "a");
        book.createQueue("in-flight", Map.of(), Map.of(), stamp);
        send("in-flight", "a");
        book.receive("in-flight", 1, 60, null, stamp);
        book.createQueue("delayed", Map.of("DelaySeconds", "60"), Map.of(), stamp);
        send("delayed", "a");

        for (String queue : List.of("visible", "in-flight", "delayed")) {
            SqsException refused = assertThrows(SqsException.class, () -> book.deleteQueueIfEmpty(queue, stamp), queue);
            assertEquals(SqsError.OVER_LIMIT, refused.error());
            assertTrue(book.exists(queue), queue);
        }
        assertEquals(3, storage.messages.size());
    }

    @Test
    void deleteIfEmptyRefusesAQueueWhoseMessageIsStillInTheOutboxToAnotherGroup() {
        String policy = "{\"deadLetterTargetArn\":\"" + ARN_PREFIX + "dead\",\"maxReceiveCount\":\"1\"}";
        book.createQueue("work", Map.of("RedrivePolicy", policy, "VisibilityTimeout", "0"), Map.of(),
                new RemoteQueue(ARN_PREFIX + "dead", false, true), stamp);
        send("work", "poison");
        book.receive("work", 1, null, null, stamp);
        assertTrue(book.receive("work", 1, null, null, stamp).isEmpty());
        assertEquals(1, book.transfers().size(), "the dead letter waits in the outbox");

        assertThrows(SqsException.class, () -> book.deleteQueueIfEmpty("work", stamp));
        assertTrue(book.exists("work"));
    }

    @Test
    void deleteIfEmptyOfAMissingQueueIsQueueDoesNotExist() {
        SqsException missing = assertThrows(SqsException.class, () -> book.deleteQueueIfEmpty("nowhere", stamp));
        assertEquals(SqsError.QUEUE_DOES_NOT_EXIST, missing.error());
    }

    @Test
    void aLayoutComesBackWhenTheReplicaIsRebuiltFromStorage() {
        book.createQueue("orders.fifo", Map.of("FifoQueue", "true"), Map.of(), stamp);
        book.setLayout("orders.fifo", new QueueLayout(QueueLayout.Fence.SENDS_CLOSED, 1, 3));

        QueueBook rebuilt = newBook(new InMemoryQueueStorage());
        storage.queues.values().forEach(rebuilt::restoreQueue);

        assertEquals(new QueueLayout(QueueLayout.Fence.SENDS_CLOSED, 1, 3), rebuilt.layout("orders.fifo"));
        assertQueueMoved(() -> rebuilt.send("orders.fifo", List.of(fifoEntry("1", groupIn(1, 3))), stamp));
    }

    /** A message group id that {@link QueueLayout#partitionOf} puts in partition {@code index} of {@code count}. */
    private static String groupIn(int index, int count) {
        for (int i = 0; ; i++) {
            if (QueueLayout.partitionOf("group-" + i, count) == index) {
                return "group-" + i;
            }
        }
    }

    /** A message group in partition {@code index} under {@code oldCount} partitions and in another under {@code newCount}. */
    private static String groupMovedBy(int oldCount, int newCount, int index) {
        for (int i = 0; ; i++) {
            String group = "group-" + i;
            if (QueueLayout.partitionOf(group, oldCount) == index && QueueLayout.partitionOf(group, newCount) != index) {
                return group;
            }
        }
    }
}
