package dev.sluice.broker.core;

import dev.sluice.clientsdk.SqsError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ReceiveMessage for {@link QueueBook}: which messages a receive takes into flight, what each
 * delivery carries, and FIFO receive attempts. Owned by the apply thread.
 */
final class Receives {
    /** Bounds the work of one receive spent on expiring or dead-lettering messages. */
    static final int MAX_SKIPPED_PER_RECEIVE = 1_000;

    private final QueueBook book;
    private final QueueStorage storage;
    private final FifoMemory fifo;
    private final EngineLimits limits;
    private final String accountId;

    Receives(QueueBook book, QueueStorage storage, FifoMemory fifo, EngineLimits limits, String accountId) {
        this.book = book;
        this.storage = storage;
        this.fifo = fifo;
        this.limits = limits;
        this.accountId = accountId;
    }

    /**
     * Takes up to {@code max} visible messages into flight; of a FIFO queue, the next messages of the
     * receivable groups, as many of one group as there are. Expired messages met on the way are
     * deleted; messages past the redrive policy's maxReceiveCount move to the dead-letter queue (one
     * in another group: into the outbox; with the outbox full they stay and are delivered again). A
     * FIFO receive with a {@code receiveRequestAttemptId} (null: none) seen within the deduplication
     * interval returns that receive's messages and receipt handles again, while none of them was
     * deleted, received again or had its visibility changed.
     */
    List<ReceivedMessage> receive(QueueState queue, int max, Integer visibilityTimeoutSeconds,
            String receiveRequestAttemptId, EntryStamp stamp) {
        long now = stamp.nowMillis();
        queue.index.promote(now);
        int timeout = visibilityTimeoutSeconds != null ? visibilityTimeoutSeconds : queue.settings.visibilityTimeoutSeconds();
        long visibleAt = now + timeout * 1000L;
        String attemptId = queue.settings.fifoQueue() ? receiveRequestAttemptId : null;
        List<MessageMeta> taken = attemptId == null ? null : retake(queue, attemptId, now, visibleAt);
        if (taken == null) {
            taken = take(queue, max, visibleAt, stamp);
            if (attemptId != null && !taken.isEmpty()) {
                fifo.rememberReceive(queue, attemptId, new ReceiveAttempt(fifo.expiryFrom(now), deliveries(taken)));
            }
        }
        long[] seqs = new long[taken.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = taken.get(i).seq;
        }
        // One read for all the bodies (at most max, a receive's bound): one multi-get rather than a lookup per message.
        List<StoredMessage> messages = storage.readMessages(queue.id, seqs);
        List<ReceivedMessage> received = new ArrayList<>(taken.size());
        for (int i = 0; i < seqs.length; i++) {
            received.add(deliver(queue, taken.get(i), messages.get(i)));
        }
        return received;
    }

    private List<MessageMeta> take(QueueState queue, int max, long visibleAtMillis, EntryStamp stamp) {
        long now = stamp.nowMillis();
        long retentionMillis = queue.settings.messageRetentionPeriodSeconds() * 1000L;
        QueueSettings.RedrivePolicy redrive = queue.settings.redrivePolicy();
        QueueState deadLetters = redrive == null ? null : book.byArn(redrive.deadLetterTargetArn());
        // A dead-letter queue here that is migrating away (fenced) takes no dead letters by a local move: a drained copy
        // is about to be deleted and a frozen one is being copied. They leave through the outbox, whose worker follows
        // the queue's placement to the group it moves to (and holds them while the queue is closed).
        boolean leaving = deadLetters != null && (deadLetters.layout.fence() != QueueLayout.Fence.OPEN
                // A FIFO source whose earlier dead letters are still on their way through the outbox (its dead-letter
                // queue was elsewhere until it migrated here) sends the next ones the same way, behind them, in order.
                || queue.settings.fifoQueue() && book.outboxHolds(queue, redrive.deadLetterTargetArn()));
        if (leaving) {
            deadLetters = null;
        }
        // A dead-letter queue in another group: dead letters leave through the outbox while it has room.
        boolean remoteDeadLetters = redrive != null && deadLetters == null && (leaving || book.hasRemoteDeadLetterTarget(queue));
        int maxInFlight = queue.settings.fifoQueue() ? limits.maxInFlightFifo() : limits.maxInFlightStandard();
        List<MessageMeta> taken = new ArrayList<>();
        MessageMeta previous = null;
        int skipped = 0;
        while (taken.size() < max && skipped < MAX_SKIPPED_PER_RECEIVE) {
            MessageMeta meta = queue.index.nextReceivable(previous);
            if (meta == null) {
                break;
            }
            if (meta.retainedSinceMillis + retentionMillis <= now) {
                book.removeMessage(queue, meta);
                skipped++;
                continue;
            }
            if (deadLetters != null && meta.receiveCount >= redrive.maxReceiveCount()) {
                book.moveMessage(queue, meta, deadLetters, queue.arn, stamp);
                skipped++;
                continue;
            }
            if (remoteDeadLetters && meta.receiveCount >= redrive.maxReceiveCount() && book.outboxHasRoom()) {
                book.transferOut(queue, meta, redrive.deadLetterTargetArn(), queue.arn, null, stamp);
                skipped++;
                continue;
            }
            if (queue.index.inFlightCount() >= maxInFlight) {
                // SQS answers OverLimit on a standard queue; a FIFO queue at its limit returns no error, only fewer messages.
                if (taken.isEmpty() && !queue.settings.fifoQueue()) {
                    throw SqsError.OVER_LIMIT.exception("Too many messages in flight: the limit is " + maxInFlight + ".");
                }
                break;
            }
            queue.index.receive(meta, now, visibleAtMillis, stamp.uniqueBits()[0]);
            storage.putDelivery(queue.id, meta.seq, meta);
            taken.add(meta);
            previous = meta;
        }
        return taken;
    }

    /**
     * The messages of a remembered receive, their visibility timeout reset, as SQS does for a retry;
     * null when there is no such attempt or any of its messages changed since.
     */
    private List<MessageMeta> retake(QueueState queue, String attemptId, long now, long visibleAtMillis) {
        ReceiveAttempt attempt = fifo.attempt(queue, attemptId, now);
        if (attempt == null) {
            return null;
        }
        List<MessageMeta> held = new ArrayList<>(attempt.deliveries().size());
        for (ReceiveAttempt.Delivery delivery : attempt.deliveries()) {
            MessageMeta meta = queue.index.get(delivery.seq());
            if (meta == null || !meta.receivedWith(delivery.receiptNonce()) || !queue.index.isInFlight(meta)
                    || meta.visibleAtMillis != delivery.visibleAtMillis()) {
                return null;
            }
            held.add(meta);
        }
        for (MessageMeta meta : held) {
            queue.index.changeVisibility(meta, now, visibleAtMillis);
            storage.putDelivery(queue.id, meta.seq, meta);
        }
        fifo.rememberReceive(queue, attemptId, new ReceiveAttempt(attempt.expiresAtMillis(), deliveries(held)));
        return held;
    }

    private static List<ReceiveAttempt.Delivery> deliveries(List<MessageMeta> taken) {
        return taken.stream().map(meta -> new ReceiveAttempt.Delivery(meta.seq, meta.receiptNonce, meta.visibleAtMillis)).toList();
    }

    private ReceivedMessage deliver(QueueState queue, MessageMeta meta, StoredMessage message) {
        Map<String, String> system = new TreeMap<>();
        // The sender is not stored: its queue's owner account stands for it, as every sender but an operator is.
        system.put("SenderId", dev.sluice.clientsdk.QueueUrl.ofQualified(queue.name, accountId).accountId());
        system.put("SentTimestamp", Long.toString(message.sentMillis()));
        system.put("ApproximateReceiveCount", Integer.toString(meta.receiveCount));
        system.put("ApproximateFirstReceiveTimestamp", Long.toString(meta.firstReceiveMillis));
        if (message.traceHeader() != null) {
            system.put("AWSTraceHeader", message.traceHeader());
        }
        if (message.deadLetterSourceArn() != null) {
            system.put("DeadLetterQueueSourceArn", message.deadLetterSourceArn());
        }
        if (message.messageGroupId() != null) {
            system.put("MessageGroupId", message.messageGroupId());
        }
        if (queue.settings.fifoQueue()) {
            system.put("SequenceNumber", SequenceNumbers.format(meta.seq));
            system.put("MessageDeduplicationId", message.messageDeduplicationId());
        }
        String handle = new ReceiptHandle(queue.id, meta.seq, meta.receiptNonce).encode();
        return new ReceivedMessage(message.messageId(), handle, message.body(), system, message.messageAttributes());
    }

}
