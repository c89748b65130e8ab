package dev.sluice.broker.core;

import java.util.List;
import java.util.Objects;

/**
 * One page of a queue's whole state as its group holds it, for moving the queue to another group (a migration of
 * a closed, so unchanging, queue): messages in sequence order with their delivery state, then the live FIFO
 * deduplication records. The target group stores a page with {@link QueueBook#importState}; a page stored twice
 * stores nothing the second time.
 *
 * @param queueIds the queue's id in its source group, then the ids it had in groups it left before: receipt handles
 *     consumers hold name one of them
 * @param sequenceFloor every sequence number the source ever gave this queue is below it (see {@link Position})
 * @param next where the next page starts; null when this page is the last
 */
public record QueueExport(List<Long> queueIds, List<Message> messages, List<Deduplication> deduplications,
        long sequenceFloor, Position next) {

    public QueueExport {
        queueIds = List.copyOf(queueIds);
        messages = List.copyOf(messages);
        deduplications = List.copyOf(deduplications);
    }

    public boolean last() {
        return next == null;
    }

    /**
     * A message with everything a receive, delete or visibility change needs: its sequence number (its place in its
     * group and in the receipt handles out there), its receive count, first receive, when it is visible next and the
     * nonce of its latest receive (so the handle a consumer holds still matches it).
     */
    public record Message(long seq, StoredMessage message, long visibleAtMillis, int receiveCount, long firstReceiveMillis,
            long receiptNonce) {
        public Message {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A FIFO send remembered under {@code key} (deduplication id, scoped by group where the queue says so). */
    public record Deduplication(String key, DeduplicationRecord record) {
        public Deduplication {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * Where a page starts: messages after {@code afterSeq}, then (once {@code deduplications}) deduplication records
     * after the key {@code afterKey} (null: from the first).
     */
    public record Position(boolean deduplications, long afterSeq, String afterKey) {
        public static final Position START = new Position(false, 0, null);
    }
}
