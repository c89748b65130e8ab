package dev.sluice.broker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageRow;
import dev.sluice.raftstore.spi.StoreWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The usage counters' key layout: adds accumulate, a flush is recorded once per (source, sequence), reads filter. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UsageStoreTest {
    private static final long HOUR = 3_600_000L;

    /** An ordered in-memory column family, as RocksDB orders keys (unsigned bytes). */
    private final TreeMap<byte[], byte[]> usage = new TreeMap<>(Arrays::compareUnsigned);
    private final UsageStore store = new UsageStore();
    private final StoreWriter writer = new StoreWriter() {
        @Override
        public void put(String columnFamily, byte[] key, byte[] value) {
            usage.put(key, value);
        }

        @Override
        public void delete(String columnFamily, byte[] key) {
            usage.remove(key);
        }

        @Override
        public byte[] get(String columnFamily, byte[] key) {
            return usage.get(key);
        }

        @Override
        public void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
            store().scan(columnFamily, prefix, startKey, visitor);
        }
    };

    UsageStoreTest() {
        store.use(writer);
    }

    @Test
    void aFlushProposedAgainIsRecordedOnceAndReadsSkipTheFlushKeys() {
        List<UsageRow> rows = List.of(new UsageRow("111111111111", HOUR, UsageKind.SQS_REQUESTS, 3));
        assertTrue(store.recordOnce("n1/run", 1, rows));
        assertFalse(store.recordOnce("n1/run", 1, rows), "the same flush again");
        assertTrue(store.recordOnce("n1/run", 2, rows));
        assertTrue(store.recordOnce("n2/run", 1, rows), "another node's flush has its own sequence");
        store.add("111111111111", 2 * HOUR, UsageKind.SQS_REQUESTS, 5);
        store.add("222222222222", HOUR, UsageKind.SNS_PUBLISHES, 1);
        store.writeEntry(writer);

        assertEquals(List.of(new UsageRow("111111111111", HOUR, UsageKind.SQS_REQUESTS, 9),
                new UsageRow("111111111111", 2 * HOUR, UsageKind.SQS_REQUESTS, 5),
                new UsageRow("222222222222", HOUR, UsageKind.SNS_PUBLISHES, 1)), UsageStore.read(store(), null, 0, 3 * HOUR).rows());
        assertEquals(List.of(new UsageRow("111111111111", 2 * HOUR, UsageKind.SQS_REQUESTS, 5)),
                UsageStore.read(store(), "111111111111", 2 * HOUR, 3 * HOUR).rows());
        assertEquals(List.of(), UsageStore.read(store(), "111111111111", -5 * HOUR, HOUR).rows());
    }

    /**
     * Two account strings with one UTF-8 encoding (an unpaired surrogate encodes as '?') are one stored counter: the
     * value remembered for one must not stand in for the other's after it wrote the counter, or an add is lost.
     */
    @Test
    void accountsThatEncodeAlikeBillOneCounterWithoutLosingAnAdd() {
        String plain = "acct?";
        String loneSurrogate = "acct\uD800";
        for (String account : List.of(plain, loneSurrogate, plain, loneSurrogate)) {
            store.use(writer);
            store.add(account, HOUR, UsageKind.SQS_REQUESTS, 1);
            store.writeEntry(writer);
        }

        assertEquals(List.of(new UsageRow(plain, HOUR, UsageKind.SQS_REQUESTS, 4)),
                UsageStore.read(store(), null, 0, 2 * HOUR).rows());
    }

    private dev.sluice.raftstore.spi.StoreReader store() {
        return new dev.sluice.raftstore.spi.StoreReader() {
            @Override
            public byte[] get(String columnFamily, byte[] key) {
                return usage.get(key);
            }

            @Override
            public void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
                byte[] from = startKey != null && Arrays.compareUnsigned(startKey, prefix) > 0 ? startKey : prefix;
                for (Map.Entry<byte[], byte[]> entry : usage.tailMap(from, true).entrySet()) {
                    byte[] key = entry.getKey();
                    if (key.length < prefix.length || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)
                            || !visitor.visit(key, entry.getValue())) {
                        return;
                    }
                }
            }
        };
    }
}
