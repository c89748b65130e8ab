package dev.sluice.raftstore.spi;

/** Reads a group's RocksDB state. Keys and values are opaque bytes; order is unsigned lexicographic. */
public interface StoreReader {

    /** The value, or null. */
    byte[] get(String columnFamily, byte[] key);

    /**
     * Visits keys starting with {@code prefix}, from {@code startKey} (inclusive; null for the first),
     * in order, until the visitor returns false.
     */
    void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor);

    @FunctionalInterface
    interface EntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }
}
