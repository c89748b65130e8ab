package dev.sluice.broker.core;

import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The apply of a {@link QueueCommand.FanOut}: a topic's outbox messages and their copies, moved in one entry. Per item,
 * in order:
 * <ul>
 *   <li>its outbox message gone, or not ready to take (delayed, in flight, or behind an earlier message of its FIFO
 *       group): skipped, nothing changes. So a replay, or a second poller proposing the same message, stores nothing
 *       twice: idempotent per outbox message;</li>
 *   <li>an item with a copy its proposer marked for another group's queue is left (nothing changes): a copy stored
 *       there by another route would skip that queue's send rules (its delay, its maximum size, its being deleted
 *       meanwhile), so the fanout's receive loop sends it;</li>
 *   <li>else each copy is stored as a send would store it (limits, FIFO deduplication, long-poll wake-up), the outbox
 *       message is removed, and if copies were refused a remainder naming their subscriptions
 *       and the attempts made ({@link ReservedQueueNames#RETRY_FOR_ATTRIBUTE}) is stored in the outbox, delayed by the item's retry wait.</li>
 * </ul>
 * A FIFO outbox keeps every group whole: an item with a copy its queue would refuse is left with nothing stored (its
 * group's fanout decides its retries), and so is every later item of a group with an item skipped or left here.
 * Deterministic; runs on the apply thread.
 */
final class FanoutApplier {
    private final QueueBook book;
    private final EntryStamp stamp;
    /** Told each sqs delivery this apply stores: what bills it (see {@link UsageMeter#sqsDeliveries}). */
    private final Consumer<SendEntry> billed;

    FanoutApplier(QueueBook book, EntryStamp stamp, Consumer<SendEntry> billed) {
        this.book = book;
        this.stamp = stamp;
        this.billed = billed;
    }

    List<FanOutItem.Outcome> apply(QueueState outbox, List<FanOutItem> items) {
        outbox.index.promote(stamp.nowMillis());
        boolean fifo = outbox.settings.fifoQueue();
        TreeSet<String> stoppedGroups = new TreeSet<>();
        List<FanOutItem.Outcome> outcomes = new ArrayList<>(items.size());
        for (FanOutItem item : items) {
            MessageMeta meta = outbox.index.get(item.outboxSeq());
            StoredMessage message = meta == null ? null : book.readMessage(outbox, meta.seq);
            String group = fifo && message != null ? message.messageGroupId() : null;
            if (group != null && stoppedGroups.contains(group)) {
                outcomes.add(FanOutItem.Outcome.of(FanOutItem.Status.LEFT));
                continue;
            }
            FanOutItem.Outcome outcome = message == null || !outbox.index.takeableNow(meta, stamp.nowMillis())
                    ? FanOutItem.Outcome.of(FanOutItem.Status.SKIPPED)
                    : take(outbox, meta, message, item, fifo);
            if (group != null && outcome.status() != FanOutItem.Status.TAKEN) {
                stoppedGroups.add(group);
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private FanOutItem.Outcome take(QueueState outbox, MessageMeta meta, StoredMessage message, FanOutItem item,
            boolean fifo) {
        if (item.copies().stream().anyMatch(FanOutItem.Copy::remote)) {
            return FanOutItem.Outcome.of(FanOutItem.Status.LEFT);
        }
        if (fifo && item.copies().stream().anyMatch(copy -> refusal(copy) != null)) {
            return FanOutItem.Outcome.of(FanOutItem.Status.LEFT);
        }
        List<EntryOutcome> copies = new ArrayList<>(item.copies().size());
        List<String> refused = new ArrayList<>();
        for (FanOutItem.Copy copy : item.copies()) {
            EntryOutcome outcome = store(copy);
            if (!outcome.succeeded()) {
                refused.add(copy.subscriptionId());
            }
            copies.add(outcome);
        }
        book.removeMessage(outbox, meta);
        if (!refused.isEmpty()) {
            storeRemainder(outbox, message, item, refused);
        }
        return new FanOutItem.Outcome(FanOutItem.Status.TAKEN, copies);
    }

    /** A local copy as a send stores it; a refusal of the whole send (no such queue, a closed or moved one) is this copy's. */
    private EntryOutcome store(FanOutItem.Copy copy) {
        EngineFailure refusal = refusal(copy);
        if (refusal != null) {
            return EntryOutcome.failed(copy.entry().id(), refusal);
        }
        try {
            return book.send(book.byArn(copy.destinationArn()).name, List.of(copy.entry()), stamp,
                    copy.billed() ? billed : entry -> { }).get(0);
        } catch (SqsException refused) {
            return EntryOutcome.failed(copy.entry().id(), new EngineFailure(refused.error(), refused.getMessage()));
        }
    }

    /**
     * Why the destination would refuse a local copy before storing it, or null: no such queue here, a copy larger than
     * its maximum, or a FIFO queue without the ids it needs (the checks {@link QueueBook#send} makes, done first so that
     * a FIFO item is stored whole or not at all).
     */
    private EngineFailure refusal(FanOutItem.Copy copy) {
        QueueState queue = book.byArn(copy.destinationArn());
        // A subscriber's copy (billed) never reaches an internal queue, as a tenant's send does not (OneApplyFanout
        // leaves such an item to the receive loop; this is the apply's own guard).
        if (queue == null || copy.billed() && ReservedQueueNames.isReservedArn(copy.destinationArn())) {
            return new EngineFailure(SqsError.QUEUE_DOES_NOT_EXIST, "The specified queue does not exist.");
        }
        if (!queue.layout.takesSends() || !queue.layout.holds(copy.entry().messageGroupId())) {
            return new EngineFailure(SqsError.QUEUE_MOVED, "The queue " + queue.name + " in this group takes no sends"
                    + " of this message here; its placement changed.");
        }
        if (copy.entry().sizeBytes() > queue.settings.maximumMessageSizeBytes()) {
            return new EngineFailure(SqsError.INVALID_PARAMETER_VALUE, "One or more parameters are invalid. Reason: "
                    + "Message must be shorter than " + queue.settings.maximumMessageSizeBytes() + " bytes.");
        }
        if (queue.settings.fifoQueue() && (copy.entry().messageGroupId() == null
                || FifoMemory.deduplicationId(queue.settings, copy.entry()) == null)) {
            return new EngineFailure(SqsError.MISSING_PARAMETER, "A copy for a FIFO queue needs a MessageGroupId and a"
                    + " MessageDeduplicationId.");
        }
        return null;
    }

    /**
     * The outbox message again, for the subscriptions whose copies were refused only: a new message at the outbox's
     * tail, visible after the item's retry wait (a standard outbox only; a FIFO item is never stored in part).
     */
    private void storeRemainder(QueueState outbox, StoredMessage message, FanOutItem item, List<String> subscriptions) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>(message.messageAttributes());
        attributes.put(ReservedQueueNames.RETRY_FOR_ATTRIBUTE, MessageAttributeValue.ofString("String",
                ReservedQueueNames.retryFor(item.attempts(), subscriptions)));
        long now = stamp.nowMillis();
        book.append(outbox, new StoredMessage(MessageIds.format(stamp.uniqueBits()), now,
                now + item.retryDelaySeconds() * 1000L, message.body(), attributes, message.traceHeader(), null, null,
                null), stamp);
        book.queueChanged(outbox);
    }
}
