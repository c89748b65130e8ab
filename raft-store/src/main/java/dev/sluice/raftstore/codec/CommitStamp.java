package dev.sluice.raftstore.codec;

import java.nio.ByteBuffer;

/**
 * The commit index a log entry's data carries, and the commit marker: an entry of data
 * {@code [entryFormat=3:1][leaderCommitIndex:8]} that the leader appends when its group goes idle with acknowledged
 * writes no entry's stamp covers yet (see {@link EntryHeader} for why a stamp matters). A marker holds no command:
 * apply only moves the store's position past it.
 *
 * <p>Read from the first {@link #PREFIX_BYTES} bytes of an entry's data, so a restart scans its log's tail without
 * decoding proposals.
 */
public final class CommitStamp {
    public static final int MARKER_FORMAT = 3;
    public static final int MARKER_SIZE = 9;
    /** Enough of an entry's data to read its stamp, whatever its format. */
    public static final int PREFIX_BYTES = EntryHeader.SIZE;

    private CommitStamp() {
    }

    public static byte[] marker(long leaderCommitIndex) {
        return ByteBuffer.allocate(MARKER_SIZE).put((byte) MARKER_FORMAT).putLong(leaderCommitIndex).array();
    }

    /** Whether {@code entry} (its data from the start) is a commit marker. */
    public static boolean isMarker(ByteBuffer entry) {
        return entry.remaining() >= MARKER_SIZE && (entry.get(entry.position()) & 0xFF) == MARKER_FORMAT;
    }

    /**
     * The commit index stamped in {@code entry} (its data from the start; at least its first {@link #PREFIX_BYTES}
     * when it has as many), {@link EntryHeader#NO_STAMP} for an entry without one. Does not move the position.
     */
    public static long read(ByteBuffer entry) {
        ByteBuffer view = entry.duplicate();
        if (isMarker(view)) {
            return view.getLong(view.position() + 1);
        }
        if (view.remaining() >= EntryHeader.SIZE && (view.get(view.position()) & 0xFF) == EntryHeader.ENTRY_FORMAT) {
            return EntryHeader.read(view).leaderCommitIndex();
        }
        return EntryHeader.NO_STAMP;
    }
}
