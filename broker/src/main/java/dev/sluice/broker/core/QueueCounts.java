package dev.sluice.broker.core;

/**
 * A queue's traffic as the node leading its group counted it (see {@link QueueActivity}), with CloudWatch's meanings:
 * messages sent, received, deleted and moved to the dead-letter queue. Node-local and since the process started, like
 * the counters of {@code /metrics}: a rate is a difference of two reads from the same leader.
 */
public record QueueCounts(long sent, long received, long deleted, long deadLettered) {
    /** Nothing counted (no traffic yet, or a node that never led the group). */
    public static final QueueCounts NONE = new QueueCounts(0, 0, 0, 0);

    public QueueCounts plus(QueueCounts other) {
        return new QueueCounts(sent + other.sent, received + other.received, deleted + other.deleted,
                deadLettered + other.deadLettered);
    }
}
