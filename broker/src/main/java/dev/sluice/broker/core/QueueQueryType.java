package dev.sluice.broker.core;

/**
 * The registry of queue queries (linearizable reads) and their wire codes, append-only like
 * {@link QueueCommandType}; dispatch is a {@code switch} expression over it.
 */
public enum QueueQueryType {
    ATTRIBUTES(1),
    EXISTS(2),
    LIST_QUEUES(3),
    TAGS(4),
    DEAD_LETTER_SOURCES(5),
    MOVE_TASKS_OF(6),
    /** Queues of this group whose dead-letter queue is the named one, wherever that queue lives. */
    DEAD_LETTER_SOURCES_ANYWHERE(7),
    /** What the router verifies of a dead-letter or move destination in this group for a queue elsewhere. */
    REDRIVE_TARGET(8),
    /** Whether a FIFO queue still remembers deduplication ids (sends within its deduplication interval). */
    LIVE_DEDUPLICATION(9),
    /** One page of a queue's whole state, for migrating it to another group (see {@code QueueExport}). */
    EXPORT_QUEUE(10),
    /** The oldest messages of a queue, read without receiving them (the console's peek). */
    PEEK_MESSAGES(11),
    /**
     * What a receive could take now and when the next hidden message appears (0 and never for a queue not here):
     * what a node without a replica of the group polls while long polls wait on it.
     */
    RECEIVABLE(12),
    /**
     * The backlog and the traffic counts of the named queues this group holds, as its leader sees and counted them:
     * the console's cluster-wide rates and oldest ages, one read per group.
     */
    QUEUE_STATS(13),
    /** The usage counters of one account or every account in a range of hours, from this group's replicated state. */
    USAGE(14),
    /** What the named accounts' queues in this group hold now: stored payload bytes and messages in flight. */
    ACCOUNT_HOLDINGS(15);

    private final int code;

    QueueQueryType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type of a wire code, or null for a code this release does not know. */
    public static QueueQueryType ofCode(int code) {
        for (QueueQueryType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
