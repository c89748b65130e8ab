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

    /** Storage writes of this entry; they commit atomically with the applied index. */
    StoreWriter writer();
}
