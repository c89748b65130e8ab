package dev.sluice.broker.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Moves between two books standing for two Raft groups: what leaves a queue for the other group is
 * in the outbox only (never in both queues), imports are idempotent by transfer id, a FIFO group
 * keeps its order, and a destination that is gone sends the message back.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CrossGroupTransferTest {
    private static final String PREFIX = "arn:aws:sqs:us-east-1:000000000000:";

    private final TestGroup source = new TestGroup(TransferOutbox.MAX_PENDING);
    private final TestGroup target = new TestGroup(TransferOutbox.MAX_PENDING);

    private static Map<String, String> redriveTo(String deadLetterQueue, int maxReceiveCount, boolean fifo) {
        String policy = "{\"deadLetterTargetArn\":\"" + PREFIX + deadLetterQueue + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
        return fifo ? Map.of("FifoQueue", "true", "RedrivePolicy", policy, "VisibilityTimeout", "0")
                : Map.of("RedrivePolicy", policy, "VisibilityTimeout", "0");
    }

    private void send(TestGroup group, String queue, String body, String messageGroup) {
        List<EntryOutcome> outcomes = group.book.send(queue, List.of(new SendEntry("e", body, null, Map.of(), null, messageGroup,
                messageGroup == null ? null : body)), group.stamp);
        assertTrue(outcomes.get(0).succeeded(), outcomes.toString());
    }

    private List<ReceivedMessage> receive(TestGroup group, String queue, int max) {
        return group.book.receive(queue, max, null, null, group.stamp);
    }

    /** What the worker does: imports every pending transfer into the target, then settles them at the source. */
    private List<TransferImport.Outcome> deliverAll() {
        List<Transfer> pending = source.book.transfers().next(1_000, 1_000, t -> true);
        List<TransferImport> imports = pending.stream()
                .map(t -> new TransferImport(t.transferId("data-0"), t.destinationArn(), t.delivered())).toList();
        List<TransferImport.Outcome> outcomes = target.book.importTransfers(imports, target.stamp);
        List<Long> delivered = new ArrayList<>();
        List<Long> returned = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            (outcomes.get(i) == TransferImport.Outcome.NO_SUCH_QUEUE ? returned : delivered).add(pending.get(i).seq());
        }
        source.book.settleTransfers(delivered, returned, source.stamp);
        return outcomes;
    }

    private void createRemoteRedrive(boolean fifo) {
        String dead = fifo ? "dead.fifo" : "dead";
        String work = fifo ? "work.fifo" : "work";
        target.book.createQueue(dead, fifo ? Map.of("FifoQueue", "true") : Map.of(), Map.of(), target.stamp);
        source.book.createQueue(work, redriveTo(dead, 1, fifo), Map.of(), new RemoteQueue(PREFIX + dead, fifo, true),
                source.stamp);
    }

    @Test
    void aLocalDeadLetterQueueMigratingAwayTakesDeadLettersThroughTheOutboxAndItsDeletionMakesItsSourcesRemote() {
        source.book.createQueue("dead", Map.of(), Map.of(), source.stamp);
        source.book.createQueue("work", redriveTo("dead", 1, false), Map.of(), source.stamp);
        target.book.createQueue("dead", Map.of(), Map.of(), target.stamp);
        send(source, "work", "before", null);
        receive(source, "work", 10);

        // Its migration fenced the dead-letter queue here: the dead letter leaves through the outbox, not into it.
        source.book.setLayout("dead", new QueueLayout(QueueLayout.Fence.SENDS_CLOSED, 0, 0));
        assertTrue(receive(source, "work", 10).isEmpty());
        assertEquals(1, source.book.transfers().size());
        assertEquals("0", source.book.attributes("dead", List.of("ApproximateNumberOfMessages"), source.stamp.now)
                .get("ApproximateNumberOfMessages"));
        deliverAll();

        // Drained, it is deleted here; "work" now reaches it in the other group, with no dead letter kept back meanwhile.
        source.book.deleteQueueIfEmpty("dead", source.stamp);
        send(source, "work", "after", null);
        receive(source, "work", 10);
        assertTrue(receive(source, "work", 10).isEmpty());
        assertEquals(1, source.book.transfers().size());
        deliverAll();
        List<String> bodies = receive(target, "dead", 10).stream().map(ReceivedMessage::body).sorted().toList();
        assertEquals(List.of("after", "before"), bodies);
    }

    @Test
    void aDeadLetterForAnotherGroupLeavesItsQueueIntoTheOutboxAndArrivesWithItsIdAndSource() {
        createRemoteRedrive(false);
        send(source, "work", "poison", null);
        String messageId = receive(source, "work", 1).get(0).messageId();

        assertTrue(receive(source, "work", 1).isEmpty(), "past maxReceiveCount the message is no longer delivered");
        assertEquals(1, source.book.transfers().size());
        assertTrue(source.storage.messages.isEmpty(), "the message left the source queue's storage");
        assertEquals(1, source.storage.transfers.size(), "and is stored in the outbox");
        assertTrue(receive(target, "dead", 1).isEmpty(), "nothing in the dead-letter queue before the import");

        assertEquals(List.of(TransferImport.Outcome.IMPORTED), deliverAll());

        ReceivedMessage dead = receive(target, "dead", 1).get(0);
        assertEquals(messageId, dead.messageId());
        assertEquals("poison", dead.body());
        assertEquals(PREFIX + "work", dead.systemAttributes().get("DeadLetterQueueSourceArn"));
        assertEquals(0, source.book.transfers().size());
        assertTrue(source.storage.transfers.isEmpty());
    }

    @Test
    void anImportRepeatedWithTheSameTransferIdStoresOneCopy() {
        createRemoteRedrive(false);
        send(source, "work", "once", null);
        receive(source, "work", 1);
        receive(source, "work", 1);
        Transfer transfer = source.book.transfers().next(1, 1, t -> true).get(0);
        TransferImport item = new TransferImport(transfer.transferId("data-0"), transfer.destinationArn(), transfer.delivered());

        assertEquals(List.of(TransferImport.Outcome.IMPORTED), target.book.importTransfers(List.of(item), target.stamp));
        target.stamp.now += 60_000;
        assertEquals(List.of(TransferImport.Outcome.ALREADY_IMPORTED), target.book.importTransfers(List.of(item), target.stamp));

        assertEquals(1, target.storage.messages.size());
        assertEquals(1, receive(target, "dead", 10).size());
    }

    @Test
    void aFifoDeadLetterQueueInAnotherGroupKeepsTheOrderOfAGroup() {
        createRemoteRedrive(true);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            send(source, "work.fifo", "m" + i, "g1");
            sent.add("m" + i);
        }
        assertEquals(sent, receive(source, "work.fifo", 10).stream().map(ReceivedMessage::body).toList());
        assertTrue(receive(source, "work.fifo", 10).isEmpty());
        assertEquals(6, source.book.transfers().size());
        deliverAll();

        List<String> dead = new ArrayList<>();
        for (ReceivedMessage message = first(receive(target, "dead.fifo", 1)); message != null;
                message = first(receive(target, "dead.fifo", 1))) {
            dead.add(message.body());
            target.book.delete("dead.fifo", List.of(new HandleEntry("h", message.receiptHandle())));
        }
        assertEquals(sent, dead);
    }

    private static ReceivedMessage first(List<ReceivedMessage> messages) {
        return messages.isEmpty() ? null : messages.get(0);
    }

    @Test
    void aTransferWhoseDestinationIsGoneGoesBackToItsQueue() {
        createRemoteRedrive(false);
        send(source, "work", "homeless", null);
        receive(source, "work", 1);
        receive(source, "work", 1);
        target.book.deleteQueue("dead", target.stamp);

        assertEquals(List.of(TransferImport.Outcome.NO_SUCH_QUEUE), deliverAll());

        assertEquals(0, source.book.transfers().size());
        assertEquals(List.of("homeless"), receive(source, "work", 10).stream().map(ReceivedMessage::body).toList());
    }

    @Test
    void withTheOutboxFullADeadLetterStaysInItsQueue() {
        TestGroup small = new TestGroup(1);
        target.book.createQueue("dead", Map.of(), Map.of(), target.stamp);
        small.book.createQueue("work", redriveTo("dead", 1, false), Map.of(), new RemoteQueue(PREFIX + "dead", false, true),
                small.stamp);
        small.book.send("work", List.of(new SendEntry("a", "first", null, Map.of(), null, null, null),
                new SendEntry("b", "second", null, Map.of(), null, null, null)), small.stamp);
        assertEquals(2, receive(small, "work", 10).size());

        List<ReceivedMessage> again = receive(small, "work", 10);

        assertEquals(1, small.book.transfers().size());
        assertEquals(1, again.size(), "the one that found no room is delivered again, not lost");
    }

    @Test
    void theOldCommandsStillRefuseADeadLetterQueueThatIsNotInTheirGroup() {
        SqsException refused = assertThrows(SqsException.class,
                () -> source.book.createQueue("work", redriveTo("dead", 1, false), Map.of(), source.stamp));
        assertEquals(SqsError.INVALID_PARAMETER_VALUE, refused.error());
        assertTrue(refused.getMessage().contains("does not exist"), refused.getMessage());
    }

    @Test
    void aVerifiedRemoteDeadLetterQueueOfAnotherTypeIsRefused() {
        SqsException refused = assertThrows(SqsException.class, () -> source.book.createQueue("work",
                redriveTo("dead", 1, false), Map.of(), new RemoteQueue(PREFIX + "dead", true, true), source.stamp));
        assertTrue(refused.getMessage().contains("same type"), refused.getMessage());
        SqsException denied = assertThrows(SqsException.class, () -> source.book.createQueue("work",
                redriveTo("dead", 1, false), Map.of(), new RemoteQueue(PREFIX + "dead", false, false), source.stamp));
        assertTrue(denied.getMessage().contains("RedriveAllowPolicy"), denied.getMessage());
    }

    @Test
    void otherAttributesOfAQueueWithARemoteDeadLetterQueueCanStillBeSet() {
        createRemoteRedrive(false);

        source.book.setAttributes("work", Map.of("DelaySeconds", "3"), source.stamp);

        assertEquals("3", source.book.attributes("work", List.of("DelaySeconds"), source.stamp.now).get("DelaySeconds"));
        assertTrue(source.storage.remoteDeadLetterTargets.contains("work"));
        source.book.setAttributes("work", Map.of("RedrivePolicy", ""), source.stamp);
        assertTrue(source.storage.remoteDeadLetterTargets.isEmpty(), "no remote target once the policy is gone");
    }

    @Test
    void aMoveTaskAcrossGroupsRedrivesDeadLettersBackToTheirSourceInAnotherGroup() {
        createRemoteRedrive(false);
        send(source, "work", "retry me", null);
        receive(source, "work", 1);
        receive(source, "work", 1);
        deliverAll();
        assertThrows(SqsException.class, () -> target.book.moveTasks().start(PREFIX + "dead", null, null, target.stamp),
                "the old command sees no dead-letter source in its group");

        MoveTask task = target.book.moveTasks().startAcrossGroups(PREFIX + "dead", null, null, true, null, target.stamp);
        target.book.moveTasks().step(task.handle(), 10, target.stamp);

        assertEquals(1, target.book.transfers().size());
        assertEquals(MoveTask.COMPLETED, target.book.moveTasks().list(PREFIX + "dead", 1).get(0).status());
        Transfer back = target.book.transfers().next(1, 1, t -> true).get(0);
        assertEquals(PREFIX + "work", back.destinationArn());
        assertNull(back.delivered().deadLetterSourceArn(), "a redriven message is a new message");
        source.book.importTransfers(List.of(new TransferImport(back.transferId("data-1"), back.destinationArn(),
                back.delivered())), source.stamp);
        assertEquals(List.of("retry me"), receive(source, "work", 10).stream().map(ReceivedMessage::body).toList());
    }
}
