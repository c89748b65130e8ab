package dev.sluice.raftstore.storage;

import java.nio.ByteBuffer;

/** The last log entry whose writes are in RocksDB, stored in the same write batch as those writes. */
public record AppliedPosition(long term, long index, long timeMillis) {
    public static final AppliedPosition NONE = new AppliedPosition(0, -1, 0);

    byte[] encode() {
        return ByteBuffer.allocate(24).putLong(term).putLong(index).putLong(timeMillis).array();
    }

    static AppliedPosition decode(byte[] bytes) {
        if (bytes == null) {
            return NONE;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new AppliedPosition(buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
