package dev.sluice.broker.core;

import java.util.List;
import java.util.Objects;

/**
 * One page of a queue's whole state as its group holds it, for moving the queue to another group (a migration of
 * a closed, so unchanging, queue): messages in sequence order with their delivery state, then the live FIFO
 * deduplication records, then the live FIFO receive attempts (so a ReceiveMessage retried with the same
 * ReceiveRequestAttemptId across the move gets the same messages). The target group stores a page with {@link QueueBook#importState}; a page stored twice
 * stores nothing the second time.
 *
 * @param queueIds the queue's id in its source group, then the ids it had in groups it left before: receipt handles
 *     consumers hold name one of them
 * @param sequenceFloor every sequence number the source ever gave this queue is below it (see {@link Position})
 * @param next where the next page starts; null when this page is the last
 */
public record QueueExport(List<Long> queueIds, List<Message> messages, List<Deduplication> deduplications,
        long sequenceFloor, Position next, List<Attempt> attempts) {

    public QueueExport {
        queueIds = List.copyOf(queueIds);
        messages = List.copyOf(messages);
        deduplications = List.copyOf(deduplications);
        attempts = List.copyOf(attempts);
    }

    /** A page without receive attempts (all pages before the attempts phase, and every page of an older release). */
    public QueueExport(List<Long> queueIds, List<Message> messages, List<Deduplication> deduplications, long sequenceFloor,
            Position next) {
        this(queueIds, messages, deduplications, sequenceFloor, next, List.of());
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

    /** A FIFO receive remembered under its ReceiveRequestAttemptId (its deliveries name sequence numbers the copy keeps). */
    public record Attempt(String attemptId, ReceiveAttempt attempt) {
        public Attempt {
            Objects.requireNonNull(attemptId, "attemptId");
            Objects.requireNonNull(attempt, "attempt");
        }
    }

    /** What a page copies: the phases follow each other in this order. */
    public enum Phase {
        MESSAGES, DEDUPLICATIONS, ATTEMPTS
    }

    /**
     * Where a page starts: messages after {@code afterSeq}, then deduplication records after the key {@code afterKey}
     * (null: from the first), then receive attempts after the attempt id {@code afterKey}.
     */
    public record Position(Phase phase, long afterSeq, String afterKey) {
        public static final Position START = new Position(Phase.MESSAGES, 0, null);

        public Position {
            Objects.requireNonNull(phase, "phase");
        }
    }
}
