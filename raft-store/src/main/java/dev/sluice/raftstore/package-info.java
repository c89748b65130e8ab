/** Apache Ratis + RocksDB: nodes, Raft groups, the state-machine SPI, snapshots, the replicated catalog. Knows nothing of queues. */
package dev.sluice.raftstore;
