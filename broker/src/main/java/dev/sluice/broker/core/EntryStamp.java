package dev.sluice.broker.core;

/** What the leader stamped into the Raft entry being applied: the only time and randomness apply may use. */
public interface EntryStamp {
    long nowMillis();

    /** 128 fresh bits, unique within the group's history. */
    long[] uniqueBits();

    /**
     * A number larger than every earlier one in the group's history and the same on every replica
     * (derived from the log index): queue ids and message sequence numbers, so that no replica
     * needs a counter that a restart or a snapshot would have to restore.
     */
    default long sequence() {
        return uniqueBits()[1];
    }
}
