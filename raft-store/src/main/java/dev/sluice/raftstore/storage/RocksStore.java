package dev.sluice.raftstore.storage;

import dev.sluice.raftstore.spi.StoreReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;
import org.slf4j.LoggerFactory;

/**
 * One group's RocksDB. The Raft log is the write-ahead log, so RocksDB's own WAL is off; each log
 * entry's writes and the {@link AppliedPosition} go in one batch, and atomic flush keeps the column
 * families consistent with that position after a crash (replay resumes right after it).
 *
 * <p>Threads: writes come from the apply thread only; reads from any thread.
 */
public final class RocksStore implements StoreReader, AutoCloseable {
    static final String META = "meta";
    private static final byte[] APPLIED_KEY = "applied".getBytes();

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final DBOptions dbOptions;
    private final ColumnFamilyTuning columnTuning;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final RocksDB db;
    private final Map<String, ColumnFamilyHandle> handles = new LinkedHashMap<>();
    /** The last entry applied: the last committed batch's, or a later entry without writes ({@link #skipTo}). */
    private volatile AppliedPosition applied;
    /** The position in the last batch written; behind {@link #applied} after a {@link #skipTo}. */
    private AppliedPosition written;
    private final Object writes = new Object();

    private RocksStore(Path directory, List<String> columnFamilies, ColumnFamilyTuning columnTuning)
            throws IOException {
        this.directory = directory;
        Files.createDirectories(directory);
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setAtomicFlush(true).setMaxBackgroundJobs(2);
        this.columnTuning = columnTuning;
        writeOptions = new WriteOptions().setDisableWAL(true);
        readOptions = new ReadOptions();
        List<String> names = new ArrayList<>();
        names.add("default");
        names.add(META);
        names.addAll(columnFamilies);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String name : names) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(), columnTuning.options()));
        }
        List<ColumnFamilyHandle> opened = new ArrayList<>();
        try {
            db = RocksDB.open(dbOptions, directory.toString(), descriptors, opened);
        } catch (RocksDBException e) {
            throw new IOException("cannot open RocksDB at " + directory, e);
        }
        for (int i = 0; i < names.size(); i++) {
            handles.put(names.get(i), opened.get(i));
        }
        applied = AppliedPosition.decode(getRaw(META, APPLIED_KEY));
        written = applied;
    }

    public static RocksStore open(Path directory, List<String> columnFamilies) throws IOException {
        return open(directory, columnFamilies, new ColumnFamilyTuning());
    }

    /** With other column family options (tests); the store closes them when it closes, or at once if it cannot open. */
    static RocksStore open(Path directory, List<String> columnFamilies, ColumnFamilyTuning columnTuning)
            throws IOException {
        try {
            return new RocksStore(directory, columnFamilies, columnTuning);
        } catch (IOException | RuntimeException e) {
            columnTuning.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    /** The last entry applied, including entries without writes that {@link #skipTo} recorded and no batch wrote yet. */
    public AppliedPosition applied() {
        return applied;
    }

    /**
     * Records that an entry without writes (Ratis's commit-index and configuration entries) was applied, without a write:
     * the next entry's batch records a later position anyway, and {@link #checkpoint} and {@link #close} write this one
     * first, so what a snapshot or a clean stop leaves holds it. A crash may lose it, as it loses every batch since the
     * last flush (RocksDB's WAL is off): the restart replays those entries, and replaying one without writes changes
     * nothing. Apply thread only.
     */
    public void skipTo(AppliedPosition position) {
        synchronized (writes) {
            applied = position;
        }
    }

    /** Starts the write batch of one log entry. */
    public EntryBatch newBatch() {
        return new EntryBatch(this, new WriteBatchWithIndex(true));
    }

    void commit(WriteBatchWithIndex batch, AppliedPosition position) throws IOException {
        synchronized (writes) {
            try {
                batch.put(handle(META), APPLIED_KEY, position.encode());
                db.write(writeOptions, batch);
                applied = position;
                written = position;
            } catch (RocksDBException e) {
                throw new IOException("RocksDB write failed at index " + position.index(), e);
            }
        }
    }

    /** Writes the position {@link #skipTo} moved to, if no batch wrote it since. */
    private void writeSkippedPosition() throws IOException {
        synchronized (writes) {
            AppliedPosition position = applied;
            if (position.equals(written)) {
                return;
            }
            try {
                db.put(handle(META), writeOptions, APPLIED_KEY, position.encode());
                written = position;
            } catch (RocksDBException e) {
                throw new IOException("RocksDB write of the applied position failed at index " + position.index(), e);
            }
        }
    }

    @Override
    public byte[] get(String columnFamily, byte[] key) {
        return getRaw(columnFamily, key);
    }

    @Override
    public List<byte[]> getAll(String columnFamily, List<byte[]> keys) {
        return multiGet(columnFamily, keys);
    }

    /** The database's values of {@code keys} in one call; null for a key without one. */
    List<byte[]> multiGet(String columnFamily, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            return db.multiGetAsList(readOptions, Collections.nCopies(keys.size(), handle(columnFamily)), keys);
        } catch (RocksDBException e) {
            throw new StorageException("multi-get failed in " + columnFamily, e);
        }
    }

    private byte[] getRaw(String columnFamily, byte[] key) {
        try {
            return db.get(handle(columnFamily), readOptions, key);
        } catch (RocksDBException e) {
            throw new StorageException("read failed in " + columnFamily, e);
        }
    }

    @Override
    public void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
        try (RocksIterator iterator = db.newIterator(handle(columnFamily), readOptions)) {
            KeyScan.run(iterator, prefix, startKey, visitor);
        }
    }

    RocksDB db() {
        return db;
    }

    ReadOptions readOptions() {
        return readOptions;
    }

    DBOptions dbOptions() {
        return dbOptions;
    }

    ColumnFamilyHandle handle(String columnFamily) {
        ColumnFamilyHandle handle = handles.get(columnFamily);
        if (handle == null) {
            throw new IllegalArgumentException("unknown column family " + columnFamily);
        }
        return handle;
    }

    /** A RocksDB property summed over column families, e.g. {@code rocksdb.estimate-num-keys}. */
    public long longProperty(String property) {
        long total = 0;
        for (ColumnFamilyHandle handle : handles.values()) {
            try {
                total += db.getLongProperty(handle, property);
            } catch (RocksDBException e) {
                return -1;
            }
        }
        return total;
    }

    /**
     * Starts writing every column family's memtable to disk, atomically, without waiting: the applied position on
     * disk then moves up to the last committed batch, so a crash replays the log only after it. Apply thread only.
     */
    public void flushInBackground() throws IOException {
        try (FlushOptions options = new FlushOptions().setWaitForFlush(false)) {
            db.flush(options, new ArrayList<>(handles.values()));
        } catch (RocksDBException e) {
            throw new IOException("flush of " + directory + " failed", e);
        }
    }

    /**
     * Flushes and hard-links a consistent copy of the database into {@code target} (which must not exist), at
     * {@link #applied}: a position only {@link #skipTo} recorded is written first.
     */
    public void checkpoint(Path target) throws IOException {
        writeSkippedPosition();
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IOException("checkpoint to " + target + " failed", e);
        }
    }

    /** True when a write reaches the disk (health check). */
    public boolean isWritable() {
        try {
            db.put(handle("default"), writeOptions, "health".getBytes(), new byte[0]);
            return true;
        } catch (RocksDBException e) {
            return false;
        }
    }

    /** Closes the database; RocksDB flushes what the memtables hold, with the position {@link #skipTo} recorded last. */
    @Override
    public void close() {
        try {
            writeSkippedPosition();
        } catch (IOException e) {
            // Only entries without writes are behind: the next start replays them, which changes nothing.
            LoggerFactory.getLogger(RocksStore.class).warn("{}: {}", directory, e.getMessage());
        }
        handles.values().forEach(ColumnFamilyHandle::close);
        db.close();
        readOptions.close();
        writeOptions.close();
        columnTuning.close();
        dbOptions.close();
    }
}
