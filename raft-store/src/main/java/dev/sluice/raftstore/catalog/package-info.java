/** The replicated catalog: namespaced key/value metadata in Raft group {@code catalog}, built on the engine SPI. */
package dev.sluice.raftstore.catalog;
