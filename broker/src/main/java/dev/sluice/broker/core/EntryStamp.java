package dev.sluice.broker.core;

/** What the leader stamped into the Raft entry being applied: the only time and randomness apply may use. */
public interface EntryStamp {
    long nowMillis();

    /** 128 fresh bits, unique within the group's history. */
    long[] uniqueBits();
}
