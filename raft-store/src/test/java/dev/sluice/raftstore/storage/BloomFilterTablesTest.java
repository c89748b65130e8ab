package dev.sluice.raftstore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.TableProperties;

/** Every SST file a store writes carries a whole-key bloom filter: a point lookup skips the files without its key. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BloomFilterTablesTest {
    private static final List<String> FAMILIES = List.of("data");
    /** Written by the block-based table into each file's properties. */
    private static final String WHOLE_KEY_FILTERING = "rocksdb.block.based.table.whole.key.filtering";

    @TempDir
    Path dir;

    @Test
    void everyFlushedTableOfEveryColumnFamilyCarriesAWholeKeyBloomFilter() throws IOException, RocksDBException {
        try (RocksStore store = RocksStore.open(dir, FAMILIES)) {
            try (EntryBatch batch = store.newBatch()) {
                for (int i = 0; i < 100; i++) {
                    batch.put("data", ("key-" + i).getBytes(), new byte[] {(byte) i});
                }
                batch.commit(new AppliedPosition(1, 1, 100));
            }
            try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
                store.db().flush(wait, List.of(store.handle("data"), store.handle(RocksStore.META)));
            }

            for (String family : List.of("data", RocksStore.META)) {
                Map<String, TableProperties> tables = store.db().getPropertiesOfAllTables(store.handle(family));
                assertFalse(tables.isEmpty(), family + " was flushed to a table");
                for (TableProperties table : tables.values()) {
                    String policy = String.valueOf(table.getFilterPolicyName());
                    assertTrue(policy.toLowerCase(Locale.ROOT).contains("bloom"), family + ": " + policy);
                    assertTrue(table.getFilterSize() > 0, family + " table's filter size");
                    assertEquals("1", table.getUserCollectedProperties().get(WHOLE_KEY_FILTERING), family);
                }
            }
            assertEquals(7, store.get("data", "key-7".getBytes())[0], "a present key is still found");
        }
    }

    @Test
    void aDirectoryWrittenWithoutFiltersOpensAndReadsAsBefore() throws IOException, RocksDBException {
        List<ColumnFamilyDescriptor> families = new ArrayList<>();
        for (String name : List.of("default", RocksStore.META, "data")) {
            families.add(new ColumnFamilyDescriptor(name.getBytes()));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
                RocksDB plain = RocksDB.open(options, dir.toString(), families, handles);
                FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            plain.put(handles.get(2), "old".getBytes(), new byte[] {3});
            plain.flush(wait, handles.get(2));
            handles.forEach(ColumnFamilyHandle::close);
        }
        try (RocksStore store = RocksStore.open(dir, FAMILIES)) {
            for (TableProperties table : store.db().getPropertiesOfAllTables(store.handle("data")).values()) {
                assertEquals(0, table.getFilterSize(), "the old table has no filter");
            }
            assertEquals(3, store.get("data", "old".getBytes())[0]);
            assertNull(store.get("data", "missing".getBytes()));
        }
    }
}
