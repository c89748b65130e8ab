package dev.sluice.raftstore.storage;

import dev.sluice.raftstore.spi.StoreReader.EntryVisitor;
import java.util.Arrays;
import org.rocksdb.RocksIterator;

/** Prefix iteration shared by committed reads and in-batch reads. */
final class KeyScan {
    private KeyScan() {
    }

    static void run(RocksIterator iterator, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
        byte[] from = startKey != null && compare(startKey, prefix) > 0 ? startKey : prefix;
        for (iterator.seek(from); iterator.isValid(); iterator.next()) {
            byte[] key = iterator.key();
            if (!startsWith(key, prefix) || !visitor.visit(key, iterator.value())) {
                return;
            }
        }
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    static int compare(byte[] left, byte[] right) {
        return Arrays.compareUnsigned(left, right);
    }
}
