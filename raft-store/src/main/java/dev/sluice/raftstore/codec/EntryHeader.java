package dev.sluice.raftstore.codec;

import java.nio.ByteBuffer;

/**
 * What the leader stamps in front of a proposal before it enters the log, so that apply never reads
 * a clock or a random source: {@code [entryFormat:1][leaderTimeMillis:8][seed:8]}.
 */
public record EntryHeader(long leaderTimeMillis, long seed) {
    public static final int ENTRY_FORMAT = 1;
    public static final int SIZE = 17;

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).put((byte) ENTRY_FORMAT).putLong(leaderTimeMillis).putLong(seed).array();
    }

    /** Reads the header and leaves {@code entry}'s position after it. */
    public static EntryHeader read(ByteBuffer entry) {
        if (entry.remaining() < SIZE) {
            throw new CorruptFrameException("log entry shorter than its header");
        }
        int format = entry.get() & 0xFF;
        if (format != ENTRY_FORMAT) {
            throw new CorruptFrameException("unknown log entry format " + format);
        }
        return new EntryHeader(entry.getLong(), entry.getLong());
    }
}
