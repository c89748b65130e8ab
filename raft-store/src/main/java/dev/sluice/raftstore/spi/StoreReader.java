package dev.sluice.raftstore.spi;

import java.util.ArrayList;
import java.util.List;

/** Reads a group's RocksDB state. Keys and values are opaque bytes; order is unsigned lexicographic. */
public interface StoreReader {

    /** The value, or null. */
    byte[] get(String columnFamily, byte[] key);

    /**
     * The values of several keys of one column family, in the order of {@code keys}, null for a key without one: what
     * {@link #get} answers for each key, in one read where the store can (RocksDB's multi-get costs one call into the
     * native library instead of one per key, and walks each SST file's index once for the keys it holds). The caller
     * bounds the number of keys.
     */
    default List<byte[]> getAll(String columnFamily, List<byte[]> keys) {
        List<byte[]> values = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            values.add(get(columnFamily, key));
        }
        return values;
    }

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
