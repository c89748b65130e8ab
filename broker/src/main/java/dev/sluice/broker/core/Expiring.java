package dev.sluice.broker.core;

/** A replicated record that lapses at a stamped time. */
interface Expiring {
    long expiresAtMillis();
}
