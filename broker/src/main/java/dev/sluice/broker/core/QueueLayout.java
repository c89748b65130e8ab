package dev.sluice.broker.core;

/**
 * Where a queue of this group stands in its queue's layout across groups, in replicated state so that a node routing
 * by a stale cached placement is refused here instead of storing work in the wrong place (the router then re-reads the
 * placement and retries; see {@code SqsError.QUEUE_MOVED}).
 *
 * @param fence whether this group's queue still takes sends and receives
 * @param partitionIndex for a partition of a partitioned FIFO queue, which message groups it holds: those whose
 *        {@link #partitionOf} over {@code partitionCount} is this index; 0 with a count of 0 for any other queue
 * @param partitionCount the queue's partition count this partition was told; 0: not partitioned by message group
 */
public record QueueLayout(Fence fence, int partitionIndex, int partitionCount) {
    /** An ordinary queue: open, not a partition by message group. Stored queue records without a layout read as this. */
    public static final QueueLayout OPEN = new QueueLayout(Fence.OPEN, 0, 0);

    /** Append only: the code is stored and travels in the log. */
    public enum Fence {
        /** Takes every action. */
        OPEN(0),
        /** A migration's source while it drains: no sends, but receives, deletes and visibility changes. */
        SENDS_CLOSED(1),
        /**
         * No message action at all (sends, receives, deletes, visibility changes), no change of settings or tags, no
         * purge and no transfer in: a FIFO queue being copied to another group. Reads and DeleteQueue still work.
         */
        CLOSED(2);

        private final int code;

        Fence(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        /** The fence of a code, or null for one this release does not know (the caller treats it as corruption). */
        public static Fence ofCode(int code) {
            for (Fence fence : values()) {
                if (fence.code == code) {
                    return fence;
                }
            }
            return null;
        }
    }

    public QueueLayout {
        if (fence == null) {
            throw new IllegalArgumentException("a layout needs a fence");
        }
        if (partitionCount < 0 || partitionIndex < 0 || (partitionCount == 0 ? partitionIndex != 0 : partitionIndex >= partitionCount)) {
            throw new IllegalArgumentException("partition " + partitionIndex + " of " + partitionCount);
        }
    }

    /**
     * The partition (0 to {@code count - 1}) that holds a FIFO message group: the one function the router spreads sends
     * with and a partition checks them by, so both always agree. {@code String.hashCode} is specified by the Java
     * language, so every node and release computes the same value.
     */
    public static int partitionOf(String messageGroupId, int count) {
        return Math.floorMod(messageGroupId.hashCode(), count);
    }

    boolean takesSends() {
        return fence == Fence.OPEN;
    }

    boolean takesMessageActions() {
        return fence != Fence.CLOSED;
    }

    /** Whether a send of {@code messageGroupId} (null: none) belongs in this partition. */
    boolean holds(String messageGroupId) {
        return partitionCount == 0 || messageGroupId == null || partitionOf(messageGroupId, partitionCount) == partitionIndex;
    }
}
