package dev.sluice.raftstore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDBException;

/**
 * A batched read ({@code getAll}) answers exactly what single gets answer, key by key: through an entry's batch, its
 * own puts and deletes win over the database, whether the database holds the key in a flushed table, in the memtable,
 * as a tombstone or not at all.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchedReadTest {
    private static final String DATA = "data";

    @TempDir
    Path dir;

    private static byte[] key(int i) {
        return ("message-" + i).getBytes();
    }

    private static byte[] value(String text) {
        return text.getBytes();
    }

    @Test
    void aBatchedReadThroughAnEntryAnswersAsSingleGetsDo() throws IOException, RocksDBException {
        try (RocksStore store = RocksStore.open(dir, List.of(DATA))) {
            try (EntryBatch flushed = store.newBatch()) {
                for (int i = 0; i < 10; i++) {
                    flushed.put(DATA, key(i), value("sst-" + i));
                }
                flushed.commit(new AppliedPosition(1, 1, 100));
            }
            try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
                store.db().flush(wait, List.of(store.handle(DATA), store.handle(RocksStore.META)));
            }
            try (EntryBatch memtable = store.newBatch()) {
                memtable.put(DATA, key(10), value("memtable-10"));
                memtable.put(DATA, key(11), value("memtable-11"));
                memtable.delete(DATA, key(3));
                memtable.commit(new AppliedPosition(1, 2, 100));
            }
            try (EntryBatch open = store.newBatch()) {
                byte[] reused = key(5);
                open.put(DATA, reused, value("batch-5"));
                // The caller reuses its array: the batch wrote message-5, not message-6.
                reused[reused.length - 1] = '6';
                open.put(DATA, key(20), value("batch-20"));
                open.delete(DATA, key(7));
                open.delete(DATA, key(11));
                open.put(DATA, key(21), value("batch-21"));
                open.delete(DATA, key(21));
                open.delete(DATA, key(8));
                open.put(DATA, key(8), value("batch-8"));
                open.delete(DATA, key(99));

                List<byte[]> keys = new ArrayList<>();
                for (int i : new int[] {0, 3, 5, 6, 7, 8, 10, 11, 20, 21, 42, 99, 0}) {
                    keys.add(key(i));
                }
                List<byte[]> batched = open.getAll(DATA, keys);

                assertEquals(keys.size(), batched.size());
                for (int i = 0; i < keys.size(); i++) {
                    assertArrayEquals(open.get(DATA, keys.get(i)), batched.get(i), new String(keys.get(i)));
                }
                assertArrayEquals(value("sst-0"), batched.get(0), "a flushed key");
                assertNull(batched.get(1), "a key deleted by an earlier entry");
                assertArrayEquals(value("batch-5"), batched.get(2), "a flushed key this entry overwrote");
                assertArrayEquals(value("sst-6"), batched.get(3), "a flushed key this entry did not write");
                assertNull(batched.get(4), "a flushed key this entry deleted");
                assertArrayEquals(value("batch-8"), batched.get(5), "a key this entry deleted and put again");
                assertArrayEquals(value("memtable-10"), batched.get(6), "a key in the memtable");
                assertNull(batched.get(7), "a key in the memtable this entry deleted");
                assertArrayEquals(value("batch-20"), batched.get(8), "a key only this entry wrote");
                assertNull(batched.get(9), "a key this entry put and deleted");
                assertNull(batched.get(10), "a key nobody wrote");
                assertNull(batched.get(11), "a key this entry deleted that nobody wrote");
                assertArrayEquals(value("sst-0"), batched.get(12), "a key asked for twice");
                assertEquals(List.of(), open.getAll(DATA, List.of()));
            }
        }
    }

    @Test
    void aBatchedReadOfTheStoreAnswersAsSingleGetsDo() throws IOException {
        try (RocksStore store = RocksStore.open(dir, List.of(DATA))) {
            try (EntryBatch batch = store.newBatch()) {
                batch.put(DATA, key(1), value("one"));
                batch.put(DATA, key(2), value("two"));
                batch.commit(new AppliedPosition(1, 1, 100));
            }
            store.flushInBackground();
            try (EntryBatch batch = store.newBatch()) {
                batch.delete(DATA, key(2));
                batch.put(DATA, key(3), value("three"));
                batch.commit(new AppliedPosition(1, 2, 100));
            }

            List<byte[]> keys = List.of(key(1), key(2), key(3), key(4));
            List<byte[]> batched = store.getAll(DATA, keys);

            for (int i = 0; i < keys.size(); i++) {
                assertArrayEquals(store.get(DATA, keys.get(i)), batched.get(i), new String(keys.get(i)));
            }
            assertArrayEquals(value("one"), batched.get(0));
            assertNull(batched.get(1));
            assertArrayEquals(value("three"), batched.get(2));
            assertNull(batched.get(3));
        }
    }
}
