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

/**
 * A FIFO queue copied from one book to another, standing for two Raft groups, page by page as a migration does:
 * the copy answers like the original (order per group, in-flight messages and their receipt handles, deduplication,
 * growing sequence numbers), and a page stored twice, or after the last, stores nothing.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class QueueStateMigrationTest {
    private static final String QUEUE = "orders.fifo";
    private static final Map<String, String> FIFO = Map.of("FifoQueue", "true", "VisibilityTimeout", "30");

    private static final class Group {
        final InMemoryQueueStorage storage = new InMemoryQueueStorage();
        final TestStamp stamp = new TestStamp();
        final QueueBook book = new QueueBook(new QueueAttributeCodec(SqsLimits.defaults().queueAttributeBounds()), "us-east-1",
                "000000000000", new EngineLimits(1_000, 1_000, 300_000), storage, name -> { });
    }

    private final Group source = new Group();
    private final Group target = new Group();

    QueueStateMigrationTest() {
        source.stamp.counter = 5_000; // the source's log is further on than the target's
        source.book.createQueue(QUEUE, FIFO, Map.of(), source.stamp);
        target.book.createQueue(QUEUE, FIFO, Map.of(), target.stamp);
    }

    private EntryOutcome send(Group group, String body, String messageGroup) {
        EntryOutcome outcome = group.book.send(QUEUE, List.of(new SendEntry("e", body, null, Map.of(), null, messageGroup, body)),
                group.stamp).get(0);
        assertTrue(outcome.succeeded(), outcome.toString());
        return outcome;
    }

    private List<ReceivedMessage> receive(Group group, int max) {
        return group.book.receive(QUEUE, max, null, null, group.stamp);
    }

    /** Closes the source's queue and copies it into the target with pages of about {@code pageBytes}; returns the pages. */
    private List<QueueExport> copy(int pageBytes) {
        source.book.setLayout(QUEUE, new QueueLayout(QueueLayout.Fence.CLOSED, 0, 0));
        List<QueueExport> pages = new ArrayList<>();
        QueueExport.Position position = QueueExport.Position.START;
        while (position != null) {
            QueueExport page = source.book.exportState(QUEUE, position, pageBytes, source.stamp.now, 0,
                    seq -> source.storage.readMessage(source.book.queueId(QUEUE), seq));
            target.book.importState(QUEUE, page, target.stamp);
            pages.add(page);
            position = page.next();
        }
        return pages;
    }

    @Test
    void aCopiedQueueDeliversEachGroupInOrderWithItsInFlightMessagesAndHandles() {
        for (int i = 0; i < 6; i++) {
            send(source, "a" + i, "A");
            send(source, "b" + i, "B");
        }
        List<ReceivedMessage> inFlight = receive(source, 2); // a0, a1 in flight: group A is locked
        assertEquals(List.of("a0", "a1"), inFlight.stream().map(ReceivedMessage::body).toList());

        List<QueueExport> pages = copy(400);
        assertTrue(pages.size() > 3, "small pages: " + pages.size());

        // The handle taken in the old group deletes the message in the new one.
        List<EntryOutcome> deleted = target.book.delete(QUEUE, List.of(new HandleEntry("1", inFlight.get(0).receiptHandle())));
        assertTrue(deleted.get(0).succeeded());
        assertEquals(List.of(EntryOutcome.ok("1", null)), target.book.changeVisibility(QUEUE,
                List.of(new VisibilityChange("1", inFlight.get(1).receiptHandle(), 0)), target.stamp));

        List<String> bodies = new ArrayList<>();
        for (List<ReceivedMessage> got = receive(target, 10); !got.isEmpty(); got = receive(target, 10)) {
            got.forEach(message -> bodies.add(message.body()));
            got.forEach(message -> target.book.delete(QUEUE, List.of(new HandleEntry("x", message.receiptHandle()))));
        }
        assertEquals(List.of("a1", "a2", "a3", "a4", "a5"), bodies.stream().filter(body -> body.startsWith("a")).toList());
        assertEquals(List.of("b0", "b1", "b2", "b3", "b4", "b5"), bodies.stream().filter(body -> body.startsWith("b")).toList());
    }

    @Test
    void receivesRetriedWithTheirAttemptIdsInTheCopyGetTheSameMessagesAlsoWhenTheAttemptsSpanPages() {
        for (int i = 0; i < 4; i++) {
            send(source, "m" + i, "G" + i);
        }
        List<List<String>> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(source.book.receive(QUEUE, 1, null, "attempt-" + i, source.stamp).stream()
                    .map(ReceivedMessage::messageId).toList());
        }
        List<QueueExport> pages = copy(1);
        assertTrue(pages.stream().filter(page -> !page.attempts().isEmpty()).count() > 1, "attempts over several pages");
        for (int i = 0; i < 4; i++) {
            assertEquals(first.get(i), target.book.receive(QUEUE, 1, null, "attempt-" + i, target.stamp).stream()
                    .map(ReceivedMessage::messageId).toList(), "attempt-" + i);
        }
    }

    @Test
    void aDuplicateSentAfterTheMoveIsAnsweredWithTheOriginalAndNewSendsGetLargerSequenceNumbers() {
        EntryOutcome original = send(source, "paid", "A");
        EntryOutcome consumed = send(source, "shipped", "A");
        List<ReceivedMessage> taken = receive(source, 1);
        source.book.delete(QUEUE, List.of(new HandleEntry("1", taken.get(0).receiptHandle())));
        copy(1_000_000);

        EntryOutcome again = send(target, "paid", "A");
        assertEquals(original.messageId(), again.messageId());
        assertEquals(original.sequenceNumber(), again.sequenceNumber());
        EntryOutcome fresh = send(target, "delivered", "A");
        assertTrue(fresh.sequenceNumber().compareTo(consumed.sequenceNumber()) > 0,
                fresh.sequenceNumber() + " after " + consumed.sequenceNumber());
        List<String> bodies = new ArrayList<>();
        receive(target, 10).forEach(message -> bodies.add(message.body()));
        assertEquals(List.of("shipped", "delivered"), bodies);
    }

    @Test
    void aPageStoredTwiceOrAfterTheLastStoresNothing() {
        for (int i = 0; i < 4; i++) {
            send(source, "m" + i, "G" + i);
        }
        source.book.setLayout(QUEUE, new QueueLayout(QueueLayout.Fence.CLOSED, 0, 0));
        QueueExport first = source.book.exportState(QUEUE, QueueExport.Position.START, 1, source.stamp.now, 0,
                seq -> source.storage.readMessage(source.book.queueId(QUEUE), seq));
        assertEquals(1, first.messages().size());
        assertEquals(1, target.book.importState(QUEUE, first, target.stamp));
        assertEquals(0, target.book.importState(QUEUE, first, target.stamp), "a replayed page");
        copy(1_000_000);
        assertTrue(target.storage.lineages.get(QUEUE).sealed());
        assertEquals("4", target.book.attributes(QUEUE, List.of("ApproximateNumberOfMessages"), target.stamp.now)
                .get("ApproximateNumberOfMessages"));

        // Consumed in the new group, then a late replay of the first page: nothing comes back.
        for (ReceivedMessage message : receive(target, 10)) {
            target.book.delete(QUEUE, List.of(new HandleEntry("x", message.receiptHandle())));
        }
        assertEquals(0, target.book.importState(QUEUE, first, target.stamp));
        assertTrue(receive(target, 10).isEmpty());
    }

    @Test
    void onlyAClosedQueueIsExported() {
        send(source, "m", "G");
        SqsException refused = assertThrows(SqsException.class, () -> source.book.exportState(QUEUE, QueueExport.Position.START,
                1_000, source.stamp.now, 0, seq -> source.storage.readMessage(source.book.queueId(QUEUE), seq)));
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, refused.error());
    }

    @Test
    void aClosedQueueRefusesChangesItsCopyWouldMissButStillAnswersReads() {
        send(source, "m", "G");
        source.book.setLayout(QUEUE, new QueueLayout(QueueLayout.Fence.CLOSED, 0, 0));
        List<Runnable> changes = List.of(
                () -> source.book.setAttributes(QUEUE, Map.of("VisibilityTimeout", "5"), source.stamp),
                () -> source.book.tag(QUEUE, Map.of("team", "a"), 50),
                () -> source.book.untag(QUEUE, List.of("team")),
                () -> source.book.purge(QUEUE, source.stamp),
                () -> source.book.importTransfers(List.of(new TransferImport("data-1:7", source.book.arnOf(QUEUE),
                        new StoredMessage("id-7", 1, 1, "moved", Map.of(), null, "G", "d-7", null))), source.stamp));
        for (Runnable change : changes) {
            assertEquals(SqsError.QUEUE_MOVED, assertThrows(SqsException.class, change::run).error());
        }
        assertEquals("1", source.book.attributes(QUEUE, List.of("ApproximateNumberOfMessages"), source.stamp.now)
                .get("ApproximateNumberOfMessages"));
        assertEquals("30", source.book.attributes(QUEUE, List.of("VisibilityTimeout"), source.stamp.now).get("VisibilityTimeout"));
    }

    @Test
    void aHandleOfAnotherQueueIsStillInvalidInTheCopy() {
        send(source, "m", "G");
        copy(1_000_000);
        String foreign = new ReceiptHandle(424242, 1, 1).encode();
        EntryOutcome outcome = target.book.delete(QUEUE, List.of(new HandleEntry("1", foreign))).get(0);
        assertFalse(outcome.succeeded());
        assertEquals(SqsError.RECEIPT_HANDLE_IS_INVALID, outcome.failure().error());
    }
}
