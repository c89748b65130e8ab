package dev.sluice.broker.core;

import java.util.List;
import java.util.Objects;

/**
 * One outbox message of a {@link QueueCommand.FanOut}: the message (by its sequence number in the outbox queue) and the
 * copies its subscriptions get, built by the fanout exactly as a send of them would be (envelope or raw body,
 * attributes, FIFO group and deduplication ids).
 *
 * @param outboxSeq the outbox message's sequence number, as the leader's peek read it
 * @param attempts the attempts made to deliver this message once this one is made: what a remainder (the copies
 *     refused now) says it has had
 * @param retryDelaySeconds how long a remainder waits in the outbox before its next attempt
 * @param copies in subscription order
 */
public record FanOutItem(long outboxSeq, int attempts, int retryDelaySeconds, List<Copy> copies) {
    public FanOutItem {
        if (attempts < 1) {
            throw new IllegalArgumentException("an item is at least the first attempt: " + attempts);
        }
        if (retryDelaySeconds < 0 || retryDelaySeconds > 900) {
            throw new IllegalArgumentException("a retry waits 0 to 900 seconds: " + retryDelaySeconds);
        }
        copies = List.copyOf(copies);
    }

    /**
     * One subscription's copy.
     *
     * @param subscriptionId the subscription it is for: what a remainder names if the copy is refused
     * @param destinationArn the queue it goes to: a subscribed queue, or a push subscription's delivery queue
     * @param remote whether the proposer's placement puts {@code destinationArn} in another group: the apply then leaves
     *     the item, for the fanout's receive loop to send (proposers leave such items out); else the copy is stored
     *     here, or refused if no such queue is here
     * @param billed whether storing it bills an SNS delivery to an sqs subscription (the command names the payer)
     * @param entry the copy, as a send would carry it
     */
    public record Copy(String subscriptionId, String destinationArn, boolean remote, boolean billed, SendEntry entry) {
        public Copy {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(destinationArn, "destinationArn");
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** What the apply did with an item. */
    public enum Status {
        /** Its copies are stored, its refused ones in a remainder; it left the outbox. */
        TAKEN(1),
        /** Its outbox message was gone or not visible (taken before, a replay, or another consumer holds it): nothing changed. */
        SKIPPED(2),
        /** Nothing changed: it is fanned out again later (a FIFO group kept whole, a copy for another group's queue). */
        LEFT(3);

        private final int code;

        Status(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Status ofCode(int code) {
            for (Status status : values()) {
                if (status.code == code) {
                    return status;
                }
            }
            throw new IllegalArgumentException("unknown fan-out item status " + code);
        }
    }

    /** An item's result: its status and, when taken, one outcome per copy in the item's order. */
    public record Outcome(Status status, List<EntryOutcome> copies) {
        public Outcome {
            Objects.requireNonNull(status, "status");
            copies = List.copyOf(copies);
        }

        static Outcome of(Status status) {
            return new Outcome(status, List.of());
        }
    }
}
