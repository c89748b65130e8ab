package dev.sluice.raftstore.spi;

/** What apply may know about the entry being applied. Everything here is identical on every replica. */
public interface ApplyContext {

    /** The Raft log index of the entry. */
    long logIndex();

    /** Leader-stamped wall-clock time of the entry, never smaller than an earlier entry's. */
    long timeMillis();

    /**
     * A fresh 128-bit value, unique per call within the group's history and unpredictable to clients
     * (derived from a leader-stamped random seed): for message ids and receipt nonces. Word 1 alone
     * is deterministic and strictly increasing over the group's history (log index and position),
     * so it can serve as an id or sequence number that needs no stored counter.
     */
    long[] uniqueBits();

    /**
     * Whether this node wrote the entry, as the leader of the entry's term, and still leads in that term: true on
     * exactly one node at most. The one thing here that is not identical on every replica, so it must never change
     * state; it lets node-local meters count each entry once across the cluster (an entry applied by a follower, or
     * replayed after a restart, or committed by a later leader, counts nowhere).
     */
    default boolean proposedHere() {
        return false;
    }

    /** Storage writes of this entry; they commit atomically with the applied index. */
    StoreWriter writer();
}
