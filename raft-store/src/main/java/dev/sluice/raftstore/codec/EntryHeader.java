package dev.sluice.raftstore.codec;

import java.nio.ByteBuffer;

/**
 * What the leader stamps in front of a proposal before it enters the log, so that apply never reads a clock or a
 * random source, and so that the log itself says how far it was committed when the entry was appended:
 * {@code [entryFormat=2:1][leaderTimeMillis:8][seed:8][leaderCommitIndex:8]}.
 *
 * <p>{@code leaderCommitIndex} is the leader's commit index when it appended the entry. By Raft's log matching, a
 * replica that holds the entry holds the leader's log up to it, so every entry up to that index in the replica's own
 * log is committed: a restarted replica re-applies up to it without a leader ({@link CommitStamp}).
 *
 * <p>Entries of format 1 ({@code [1][leaderTimeMillis:8][seed:8]}, before the stamp) stay in existing logs and still
 * read, with {@link #NO_STAMP}; a leader writes them until every node runs feature level 5 (a node of an earlier
 * release stops at format 2). A format this code does not know stops the node rather than being guessed.
 */
public record EntryHeader(long leaderTimeMillis, long seed, long leaderCommitIndex) {
    /** Written before the commit index was stamped, and while the cluster runs below feature level 5. */
    public static final int UNSTAMPED_FORMAT = 1;
    public static final int ENTRY_FORMAT = 2;
    public static final int UNSTAMPED_SIZE = 17;
    public static final int SIZE = 25;
    /** The commit index of an entry that carries none (format 1): -1 claims nothing, as Raft's own start does. */
    public static final long NO_STAMP = -1;

    /**
     * Format 2, or format 1 for a header without a stamp ({@link #NO_STAMP}): what a leader writes until the cluster
     * runs {@code FeatureLevel.COMMIT_STAMPS}, byte for byte what a node of an earlier release writes and reads.
     */
    public byte[] encode() {
        if (leaderCommitIndex == NO_STAMP) {
            return ByteBuffer.allocate(UNSTAMPED_SIZE).put((byte) UNSTAMPED_FORMAT).putLong(leaderTimeMillis).putLong(seed)
                    .array();
        }
        return ByteBuffer.allocate(SIZE).put((byte) ENTRY_FORMAT).putLong(leaderTimeMillis).putLong(seed)
                .putLong(leaderCommitIndex).array();
    }

    /** Reads the header and leaves {@code entry}'s position after it (17 or 25 bytes, by its format). */
    public static EntryHeader read(ByteBuffer entry) {
        if (entry.remaining() < UNSTAMPED_SIZE) {
            throw new CorruptFrameException("log entry shorter than its header");
        }
        int format = entry.get() & 0xFF;
        if (format == UNSTAMPED_FORMAT) {
            return new EntryHeader(entry.getLong(), entry.getLong(), NO_STAMP);
        }
        if (format != ENTRY_FORMAT) {
            throw new CorruptFrameException("unknown log entry format " + format);
        }
        if (entry.remaining() < SIZE - 1) {
            throw new CorruptFrameException("log entry shorter than its header");
        }
        return new EntryHeader(entry.getLong(), entry.getLong(), entry.getLong());
    }
}
