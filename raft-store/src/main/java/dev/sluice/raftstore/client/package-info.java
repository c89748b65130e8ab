/** Submits commands and linearizable reads to a Raft group, packing concurrent commands into shared entries. */
package dev.sluice.raftstore.client;
