/** How a leader replicates to its followers: Ratis's gRPC transport with a heartbeat on every commit. Imports Ratis only. */
package dev.sluice.raftstore.replication;
