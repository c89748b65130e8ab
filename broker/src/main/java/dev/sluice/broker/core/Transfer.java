package dev.sluice.broker.core;

import java.util.Objects;

/**
 * A message on its way to a queue in another Raft group: taken out of {@code originQueue} by the
 * apply that decided the move (redrive, move-task step), held in this group's outbox until the
 * destination's group imported it. It is never in both queues: from that apply on it is only here.
 *
 * @param seq this group's sequence number of the apply that took it out; the outbox's order
 * @param originQueue the queue it left; it goes back there if the destination queue is gone
 * @param destinationArn the queue it goes to
 * @param original the message as it was stored in {@code originQueue}
 * @param deadLetterSourceArn for a dead letter, the queue it is dead-lettered from; null for a redrive
 * @param originFifo whether {@code originQueue} is a FIFO queue (see {@link StoredMessage#movedTo})
 * @param newMessageId for a redrive (a new message, as SQS documents), its id; null for a dead letter
 * @param movedAtMillis the stamped time of the move
 * @param moveTaskHandle the move task that moved it, or null
 */
public record Transfer(long seq, String originQueue, String destinationArn, StoredMessage original,
        String deadLetterSourceArn, boolean originFifo, String newMessageId, long movedAtMillis, String moveTaskHandle) {

    public Transfer {
        Objects.requireNonNull(originQueue, "originQueue");
        Objects.requireNonNull(destinationArn, "destinationArn");
        Objects.requireNonNull(original, "original");
        if ((deadLetterSourceArn == null) == (newMessageId == null)) {
            throw new IllegalArgumentException("a transfer is either a dead letter or a redrive");
        }
    }

    /** The message as the destination stores it: exactly what a move inside one group stores. */
    public StoredMessage delivered() {
        return original.movedTo(deadLetterSourceArn, originFifo, newMessageId, movedAtMillis);
    }

    /** The id a destination remembers this transfer by: unique over the cluster's history. */
    public String transferId(String sourceGroup) {
        return sourceGroup + ":" + seq;
    }
}
