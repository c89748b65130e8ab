package dev.sluice.broker.core;

/**
 * What the apply thread tells node-local meters about one queue's traffic, with CloudWatch's meanings: messages
 * sent (stored by a SendMessage, not a FIFO duplicate, not a dead letter or a move), received, deleted (every delete
 * with a valid handle of the queue, repeated ones included, as SQS counts them) and moved to the dead-letter queue.
 * Never read back by apply, so it cannot make replicas differ; the engine hands the book {@link #NONE} for entries
 * this node did not propose (see {@code ApplyContext#proposedHere}). Called on the apply thread; must not block.
 */
public interface QueueActivity {
    /** Counts nothing: for followers, replays and tests. */
    QueueActivity NONE = new QueueActivity() {
    };

    /**
     * An entry's command of {@code type} was applied (whatever its outcome): how many log commands each kind of traffic
     * costs, e.g. the sends, receives and deletes one SNS publish takes end to end.
     */
    default void applied(QueueCommandType type) {
    }

    /** A message of {@code sizeBytes} (body and attributes, as SQS measures it) was stored by a send. */
    default void sent(String queue, int sizeBytes) {
    }

    /** A receive took {@code count} messages into flight. */
    default void received(String queue, int count) {
    }

    /** A delete with a valid receipt handle succeeded. */
    default void deleted(String queue) {
    }

    /** A message passed its maxReceiveCount and left for the dead-letter queue. */
    default void deadLettered(String queue) {
    }

    /**
     * What was counted of {@code queue} so far ({@link QueueCounts#NONE} when nothing): read by the stats query on the
     * group's leader, never by apply.
     */
    default QueueCounts counted(String queue) {
        return QueueCounts.NONE;
    }
}
