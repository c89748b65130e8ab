/** RocksDB under a group's state machine: column families, atomic entry batches, checkpoints. */
package dev.sluice.raftstore.storage;
