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
    MOVE_TASKS_OF(6);

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
