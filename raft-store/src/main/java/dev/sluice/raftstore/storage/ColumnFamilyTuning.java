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
 *
 * <p>Why fixed, small level sizes: a queue writes at the tail of its key range and deletes at the head, so every
 * memtable, and every L0 file flushed from it, spans the whole backlog (head tombstones to tail values). With RocksDB's
 * default dynamic level sizing, a store smaller than a few hundred MB compacts L0 straight into its last level, and an
 * L0 compaction takes every file of the level its input overlaps: the whole backlog, rewritten every
 * {@code level0_file_num_compaction_trigger} flushes, a cost that grows with the backlog (measured under the SQS load
 * of {@code benchmarks/run-sqs-comparison.sh}: the compaction thread took 2.5–2.7 s of a 30 s window, a tenth of the
 * server's CPU, rewriting ~15 MB four times). With a fixed {@value #LEVEL_BASE_MB} MB level 1, an L0 compaction
 * rewrites at most that level; below it, one file at a time goes down: a file of tail values that overlaps nothing
 * under it moves without a rewrite, and a file of head tombstones meets the values it deletes and both vanish (0.8 s
 * in the same window). Files are {@value #LEVEL_BASE_MB}/4 MB so that level 1 splits into a few of them.
 * The price: classic leveled compaction's space amplification, which exceeds dynamic sizing's ~1.1x while the last
 * level is not yet the largest (deleted values wait there until tombstones reach them), and a store of 10 GB has
 * five levels instead of three (a lookup checks one more bloom filter per level).
 *
 * <p>Why a TTL of {@value #DEAD_DATA_TTL_SECONDS} s: when a consumer drains a backlog, its tombstones land in small
 * files high up while the values they delete lie deeper, and with fixed sizes those levels never fill enough to be
 * compacted down: 7–20 % of a drained backlog stayed on disk until RocksDB's default TTL of 30 days (dynamic sizing had
 * compacted them away). With the TTL, RocksDB compacts a file older than it into the level below, unless the file is
 * in the deepest level holding data, so the tombstones reach their values within the hour, also while nothing is
 * written (RocksDB checks every ten minutes). A moved file keeps the age of its oldest input, so an old backlog that
 * stays is carried down to its deepest level once, one rewrite per level; files younger than the TTL (every run of
 * the load benchmarks) cost nothing. Marking tombstone-heavy files for compaction instead (RocksDB's deletion
 * collector) pushed every head tombstone down at once under load: the compaction thread took 12.3 s of a 30 s window
 * instead of 0.8 s.
 *
 * <p>Also a price of the small files: ~32 times as many SST files as RocksDB's 64 MB default, all kept open (a 10 GB
 * group holds ~5,000 file descriptors).
 */
final class ColumnFamilyTuning implements AutoCloseable {
    /** RocksDB's customary setting: about 1 % false positives. */
    static final int BLOOM_BITS_PER_KEY = 10;
    /** Level 1's size; each deeper level is ten times the one above it. */
    static final int LEVEL_BASE_MB = 8;
    /** Age after which a file of a non-last level is compacted into the level below (RocksDB's {@code ttl}). */
    static final long DEAD_DATA_TTL_SECONDS = 3_600;

    private final BloomFilter filter;
    private final ColumnFamilyOptions options;

    ColumnFamilyTuning() {
        this(DEAD_DATA_TTL_SECONDS);
    }

    /** With another TTL: for tests, which cannot wait an hour. */
    ColumnFamilyTuning(long deadDataTtlSeconds) {
        filter = new BloomFilter(BLOOM_BITS_PER_KEY);
        options = new ColumnFamilyOptions().setTableFormatConfig(
                new BlockBasedTableConfig().setFilterPolicy(filter).setWholeKeyFiltering(true))
                .setLevelCompactionDynamicLevelBytes(false)
                .setMaxBytesForLevelBase((long) LEVEL_BASE_MB << 20)
                .setTargetFileSizeBase((long) LEVEL_BASE_MB << 18)
                .setTtl(deadDataTtlSeconds);
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
