/** The Ratis adapter: frames log entries, calls the domain engine, snapshots RocksDB checkpoints. */
package dev.sluice.raftstore.statemachine;
