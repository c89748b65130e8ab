package dev.sluice.raftstore.spi;

/** Writes of one log entry. Reads through a writer see the entry's earlier writes. */
public interface StoreWriter extends StoreReader {

    void put(String columnFamily, byte[] key, byte[] value);

    void delete(String columnFamily, byte[] key);
}
