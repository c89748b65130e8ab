package dev.sluice.raftstore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile review of the batched read ({@code getAll}) and what it costs every write: the reads must answer as
 * single gets do in the corners the branch's own test leaves out (empty values, the same key in another column
 * family, more keys than a receive takes), and what an entry remembers for it must stay bounded however many keys
 * it writes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EntryBatchAttackTest {
    private static final String DATA = "data";
    private static final String OTHER = "other";

    @TempDir
    Path dir;

    private static byte[] key(int i) {
        return ByteBuffer.allocate(16).putLong(7).putLong(i).array();
    }

    @Test
    void aBatchedReadAnswersEmptyValuesOtherFamiliesAndManyKeysAsSingleGetsDo() throws IOException {
        try (RocksStore store = RocksStore.open(dir, List.of(DATA, OTHER))) {
            try (EntryBatch earlier = store.newBatch()) {
                for (int i = 0; i < 40; i++) {
                    earlier.put(DATA, key(i), i % 3 == 0 ? new byte[0] : ("stored-" + i).getBytes());
                    earlier.put(OTHER, key(i), ("other-" + i).getBytes());
                }
                earlier.commit(new AppliedPosition(1, 1, 100));
            }
            store.flushInBackground();
            try (EntryBatch open = store.newBatch()) {
                // Written in another family only: this family's read must still come from the database.
                open.delete(OTHER, key(1));
                open.put(OTHER, key(2), "other-now".getBytes());
                // Written here: an empty value over a stored one, a delete of an empty value.
                open.put(DATA, key(4), new byte[0]);
                open.delete(DATA, key(6));
                List<byte[]> keys = new ArrayList<>();
                for (int i = 0; i < 45; i++) {
                    keys.add(key(i));
                }

                List<byte[]> data = open.getAll(DATA, keys);
                List<byte[]> other = open.getAll(OTHER, keys);
                List<byte[]> stored = store.getAll(DATA, keys);

                assertEquals(keys.size(), data.size());
                for (int i = 0; i < keys.size(); i++) {
                    assertArrayEquals(open.get(DATA, keys.get(i)), data.get(i), "data " + i);
                    assertArrayEquals(open.get(OTHER, keys.get(i)), other.get(i), "other " + i);
                    assertArrayEquals(store.get(DATA, keys.get(i)), stored.get(i), "store " + i);
                }
                assertArrayEquals(new byte[0], data.get(3), "an empty stored value is not a missing one");
                assertArrayEquals(new byte[0], data.get(4), "an empty value this entry put");
                assertArrayEquals("stored-1".getBytes(), data.get(1), "deleted in another family only");
            }
        }
    }

    /**
     * An entry that wrote more keys than it remembers reads key by key: a key it deleted past the bound is not read
     * back from the database, a key it put comes from its batch, an untouched key from the database. Fails if the
     * batch forgot its keys but still trusted its (emptied) set.
     */
    @Test
    void anEntryPastTheRememberedBoundStillReadsItsOwnWrites() throws IOException {
        int many = EntryBatch.MAX_REMEMBERED_KEYS + 10;
        try (RocksStore store = RocksStore.open(dir, List.of(DATA))) {
            try (EntryBatch earlier = store.newBatch()) {
                for (int i = 0; i < many + 1; i++) {
                    earlier.put(DATA, key(i), ("stored-" + i).getBytes());
                }
                earlier.commit(new AppliedPosition(1, 1, 100));
            }
            try (EntryBatch bulk = store.newBatch()) {
                for (int i = 0; i < many; i++) {
                    bulk.delete(DATA, key(i));
                }
                bulk.put(DATA, key(3), "put-again".getBytes());
                List<byte[]> read = bulk.getAll(DATA, List.of(key(0), key(many - 1), key(3), key(many)));
                assertEquals(null, read.get(0), "deleted first in this entry");
                assertEquals(null, read.get(1), "deleted past the bound in this entry");
                assertArrayEquals("put-again".getBytes(), read.get(2), "put again in this entry");
                assertArrayEquals(("stored-" + many).getBytes(), read.get(3), "untouched, from the database");
            }
        }
    }

    /**
     * An entry remembers a copy of each key it writes (for getAll), but at most EntryBatch.MAX_REMEMBERED_KEYS: an
     * entry that deletes a deep queue (PurgeQueue, DeleteQueue: two deletes per message, in one entry) must not hold
     * a copy per message on the heap. Measured in bytes allocated by this thread (HotSpot's per-thread counter), not
     * in time: 20,000 deletes allocated ~133 bytes each with no bound (2.6 MB), under 16 each with it.
     */
    @Test
    void anEntryWritingManyKeysRemembersBoundedCopiesOnTheJavaHeap() throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int writes = 20_000;
        List<byte[]> keys = new ArrayList<>(writes);
        for (int i = 0; i < writes; i++) {
            keys.add(key(i));
        }
        try (RocksStore store = RocksStore.open(dir, List.of(DATA))) {
            for (int round = 0; round < 3; round++) {
                try (EntryBatch warm = store.newBatch()) {
                    for (byte[] key : keys) {
                        warm.delete(DATA, key);
                    }
                }
            }
            long perWrite;
            try (EntryBatch batch = store.newBatch()) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (byte[] key : keys) {
                    batch.delete(DATA, key);
                }
                perWrite = (threads.getCurrentThreadAllocatedBytes() - before) / writes;
            }
            assertTrue(perWrite < 16, "Java heap bytes allocated per delete of a 16-byte key: " + perWrite);
        }
    }
}
