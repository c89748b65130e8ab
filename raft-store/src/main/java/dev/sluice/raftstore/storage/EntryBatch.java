package dev.sluice.raftstore.storage;

import dev.sluice.raftstore.spi.StoreWriter;
import java.io.IOException;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/** The writes of one log entry; reads through it see its own writes. Committed once, with the applied position. */
public final class EntryBatch implements StoreWriter, AutoCloseable {
    private final RocksStore store;
    private final WriteBatchWithIndex batch;

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
    }

    @Override
    public void delete(String columnFamily, byte[] key) {
        try {
            batch.delete(store.handle(columnFamily), key);
        } catch (RocksDBException e) {
            throw new StorageException("batch delete failed in " + columnFamily, e);
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
