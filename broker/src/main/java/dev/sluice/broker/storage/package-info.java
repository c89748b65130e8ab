/** The queue engine's RocksDB key layout and recovery scan, over raft-store's StoreReader/StoreWriter. */
package dev.sluice.broker.storage;
