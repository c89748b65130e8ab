package dev.sluice.raftstore.storage;

import dev.sluice.raftstore.spi.StoreWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The writes of one log entry; reads through it see its own writes. Committed once, with the applied position.
 *
 * <p>It remembers which keys it wrote, per column family, so that {@link #getAll} knows without a call into RocksDB
 * which keys to take from the batch (a put or a delete of this entry) and which to read from the database together.
 * The batch's own index cannot tell a key it deleted from one it never held (both are "not found"), and the database
 * must not be asked about a deleted key. It remembers at most {@link #MAX_REMEMBERED_KEYS} (a copy each, ~130 heap
 * bytes): an entry that writes more (a purge or a queue's delete writes two keys per message, however deep the queue)
 * forgets them all, and its {@link #getAll} then reads key by key, as {@link #get} does.
 */
public final class EntryBatch implements StoreWriter, AutoCloseable {
    private final RocksStore store;
    private final WriteBatchWithIndex batch;
    /**
     * Keys remembered per entry at most: a saturated entry of SQS commands writes a few hundred; past this, an entry
     * is a bulk change (purge, queue delete) whose heap must not grow with the queue's depth.
     */
    static final int MAX_REMEMBERED_KEYS = 1_024;

    /** Column family to the keys put or deleted in this batch, as copies (a caller may reuse its array). */
    private final Map<String, Set<ByteBuffer>> writtenKeys = new HashMap<>();
    private int rememberedKeys;
    /** Whether this entry wrote more keys than it remembers: {@link #getAll} reads key by key. */
    private boolean forgotWrittenKeys;

    EntryBatch(RocksStore store, WriteBatchWithIndex batch) {
        this.store = store;
        this.batch = batch;
    }

    @Override
    public void put(String columnFamily, byte[] key, byte[] value) {
        try {
            batch.put(store.handle(columnFamily), key, value);
        } catch (RocksDBException e) {
            throw new StorageException("batch put failed in " + columnFamily, e);
        }
        remember(columnFamily, key);
    }

    @Override
    public void delete(String columnFamily, byte[] key) {
        try {
            batch.delete(store.handle(columnFamily), key);
        } catch (RocksDBException e) {
            throw new StorageException("batch delete failed in " + columnFamily, e);
        }
        remember(columnFamily, key);
    }

    private void remember(String columnFamily, byte[] key) {
        if (forgotWrittenKeys) {
            return;
        }
        if (rememberedKeys == MAX_REMEMBERED_KEYS) {
            forgotWrittenKeys = true;
            writtenKeys.clear();
            return;
        }
        if (writtenKeys.computeIfAbsent(columnFamily, family -> new HashSet<>()).add(ByteBuffer.wrap(key.clone()))) {
            rememberedKeys++;
        }
    }

    @Override
    public byte[] get(String columnFamily, byte[] key) {
        try {
            return batch.getFromBatchAndDB(store.db(), store.handle(columnFamily), store.readOptions(), key);
        } catch (RocksDBException e) {
            throw new StorageException("batch read failed in " + columnFamily, e);
        }
    }

    /**
     * What {@link #get} answers for each key: a key this entry put or deleted from the batch (its value, or null), the
     * others from the database in one multi-get.
     */
    @Override
    public List<byte[]> getAll(String columnFamily, List<byte[]> keys) {
        if (forgotWrittenKeys) {
            return StoreWriter.super.getAll(columnFamily, keys);
        }
        ColumnFamilyHandle handle = store.handle(columnFamily);
        Set<ByteBuffer> written = writtenKeys.getOrDefault(columnFamily, Set.of());
        byte[][] values = new byte[keys.size()][];
        List<byte[]> unwritten = new ArrayList<>(keys.size());
        int[] unwrittenPositions = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            if (written.contains(ByteBuffer.wrap(key))) {
                values[i] = fromBatch(handle, columnFamily, key);
            } else {
                unwrittenPositions[unwritten.size()] = i;
                unwritten.add(key);
            }
        }
        List<byte[]> stored = store.multiGet(columnFamily, unwritten);
        for (int j = 0; j < stored.size(); j++) {
            values[unwrittenPositions[j]] = stored.get(j);
        }
        return Arrays.asList(values);
    }

    private byte[] fromBatch(ColumnFamilyHandle handle, String columnFamily, byte[] key) {
        try {
            return batch.getFromBatch(handle, store.dbOptions(), key);
        } catch (RocksDBException e) {
            throw new StorageException("batch read failed in " + columnFamily, e);
        }
    }

    @Override
    public void scan(String columnFamily, byte[] prefix, byte[] startKey, EntryVisitor visitor) {
        var handle = store.handle(columnFamily);
        try (RocksIterator base = store.db().newIterator(handle, store.readOptions());
                RocksIterator merged = batch.newIteratorWithBase(handle, base)) {
            KeyScan.run(merged, prefix, startKey, visitor);
        }
    }

    public void commit(AppliedPosition position) throws IOException {
        store.commit(batch, position);
    }

    @Override
    public void close() {
        batch.close();
    }
}
