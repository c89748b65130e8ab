package dev.sluice.raftstore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry without writes moves the store's applied position without a write ({@link RocksStore#skipTo}); the next
 * batch, a checkpoint or a close writes it, so a snapshot or a clean stop holds it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AppliedPositionSkipTest {
    private static final List<String> FAMILIES = List.of("data");
    private static final String MEMTABLE_ENTRIES = "rocksdb.num-entries-active-mem-table";

    @TempDir
    Path dir;

    private static void commit(RocksStore store, AppliedPosition position) throws IOException {
        try (EntryBatch batch = store.newBatch()) {
            batch.put("data", new byte[] {(byte) position.index()}, new byte[] {1});
            batch.commit(position);
        }
    }

    @Test
    void skippingWritesNothingAndACloseWritesTheSkippedPosition() throws IOException {
        Path live = dir.resolve("live");
        try (RocksStore store = RocksStore.open(live, FAMILIES)) {
            commit(store, new AppliedPosition(1, 5, 100));
            long written = store.longProperty(MEMTABLE_ENTRIES);

            store.skipTo(new AppliedPosition(1, 6, 100));
            store.skipTo(new AppliedPosition(2, 7, 100));

            assertEquals(written, store.longProperty(MEMTABLE_ENTRIES), "entries without writes wrote nothing");
            assertEquals(new AppliedPosition(2, 7, 100), store.applied());
        }
        try (RocksStore reopened = RocksStore.open(live, FAMILIES)) {
            assertEquals(new AppliedPosition(2, 7, 100), reopened.applied());
        }
    }

    @Test
    void aCheckpointHoldsTheSkippedPositionAndTheNextBatchALaterOne() throws IOException {
        Path live = dir.resolve("live");
        Path checkpoint = dir.resolve("checkpoint");
        try (RocksStore store = RocksStore.open(live, FAMILIES)) {
            commit(store, new AppliedPosition(1, 5, 100));
            store.skipTo(new AppliedPosition(1, 6, 100));
            store.checkpoint(checkpoint);
            store.skipTo(new AppliedPosition(1, 7, 100));
            commit(store, new AppliedPosition(1, 8, 200));
            assertEquals(new AppliedPosition(1, 8, 200), store.applied());
        }
        try (RocksStore snapshot = RocksStore.open(checkpoint, FAMILIES)) {
            assertEquals(new AppliedPosition(1, 6, 100), snapshot.applied());
        }
        try (RocksStore reopened = RocksStore.open(live, FAMILIES)) {
            assertEquals(new AppliedPosition(1, 8, 200), reopened.applied());
        }
    }
}
