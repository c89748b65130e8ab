/**
 * Queue domain types without I/O: queue settings and their attribute codec. Imports the JDK,
 * client-sdk and Jackson only; never Vert.x, Ratis or RocksDB.
 */
package dev.sluice.broker.core;
