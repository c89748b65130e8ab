package dev.sluice.raftstore.storage;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;

/**
 * The options every column family of a {@link RocksStore} opens with: the one place that builds them.
 *
 * <p>Why a bloom filter: the state machine reads by point lookup (a receive reads each message body by its key), and
 * a queue with a backlog reads bodies flushed to SST files long ago. Without a filter, a lookup searches every
 * overlapping L0 file's index and data block; with one, files that do not hold the key are skipped after a check of
 * their filter. The filter is on the whole key (keys are looked up whole, never by prefix).
 * {@code optimizeFiltersForHits} is not set, so the last level keeps its filters too: lookups of deleted or missing
 * keys happen, and would read that level's blocks without one.
 *
 * <p>Cost: {@value #BLOOM_BITS_PER_KEY} bits, about 1.25 bytes, of memory per key in each SST file (filters are held
 * with the open table readers; see {@code rocksdb.estimate-table-readers-mem}), for about 1 % false positives. A filter
 * is written per new SST file: tables written before it stay without one until a compaction rewrites them, and an
 * existing data directory opens as it is.
 */
final class ColumnFamilyTuning implements AutoCloseable {
    /** RocksDB's customary setting: about 1 % false positives. */
    static final int BLOOM_BITS_PER_KEY = 10;

    private final BloomFilter filter;
    private final ColumnFamilyOptions options;

    ColumnFamilyTuning() {
        filter = new BloomFilter(BLOOM_BITS_PER_KEY);
        options = new ColumnFamilyOptions().setTableFormatConfig(
                new BlockBasedTableConfig().setFilterPolicy(filter).setWholeKeyFiltering(true));
    }

    /** The options, alive until {@link #close}. */
    ColumnFamilyOptions options() {
        return options;
    }

    /** Closes the options before the filter they refer to; after the database closed. */
    @Override
    public void close() {
        options.close();
        filter.close();
    }
}
