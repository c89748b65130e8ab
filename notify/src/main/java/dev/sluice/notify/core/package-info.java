/** Topics, subscriptions, policies and message shapes as plain values; imports no Vert.x, Ratis or RocksDB. */
package dev.sluice.notify.core;
