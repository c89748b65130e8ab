package dev.sluice.raftstore.storage;

/** RocksDB failed underneath a read or write. Inside apply this is fatal for the node. */
public final class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
