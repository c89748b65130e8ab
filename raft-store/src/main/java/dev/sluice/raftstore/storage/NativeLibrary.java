package dev.sluice.raftstore.storage;

import org.rocksdb.RocksDB;

/**
 * RocksDB's native library. A class of its own, without {@link RocksStore}'s static initializer (which loads the
 * library on the thread that first touches RocksStore), so that {@link #preload} really returns at once.
 */
public final class NativeLibrary {
    private NativeLibrary() {
    }

    /**
     * Loads the library on a thread of its own and returns at once. The first store to open otherwise loads it itself
     * (extracting it from its jar and linking it: 0.2-0.5 s, while the other groups' stores wait); a start that calls
     * this first has it loaded by the time its Raft groups open their stores.
     */
    public static void preload() {
        // A lambda body, not a method reference: RocksDB is first touched on the loader thread.
        Thread loader = new Thread(() -> RocksDB.loadLibrary(), "rocksdb-library");
        loader.setDaemon(true);
        loader.start();
    }
}
