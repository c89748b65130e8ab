package dev.sluice.broker.core;

/**
 * The in-memory, mutable part of a stored message: where it is in the queue's index. Owned by the
 * apply thread; the body and attributes stay in storage.
 */
public final class MessageMeta {
    final long seq;
    /** When the retention period started counting (see {@link StoredMessage#retainedSinceMillis}). */
    final long retainedSinceMillis;
    /** Its body and attributes as SQS sizes them (what {@link UsageKind#STORED_MESSAGE_BYTE_HOURS} bills). */
    final int payloadBytes;
    long visibleAtMillis;
    int receiveCount;
    long firstReceiveMillis;
    /** Changes on every receive: a receipt handle names the receive it came from. */
    long receiptNonce;
    /** Where the queue's index holds this message; kept by {@link QueueIndex}. */
    Place place;
    /** The message group this message belongs to in its queue's index, or null. */
    MessageGroups.Group group;

    /**
     * The places of a message in its queue's index. PLAIN is ready too, held by the index's {@link PlainBacklog}
     * without an object of its own: a meta in that place is a view made for one lookup, and the index gives the
     * message an object of its own (in one of the other places) the moment it changes.
     */
    enum Place { READY, IN_FLIGHT, DELAYED, PLAIN }

    public MessageMeta(long seq, long retainedSinceMillis, long visibleAtMillis, int receiveCount, long firstReceiveMillis,
            long receiptNonce, int payloadBytes) {
        this.seq = seq;
        this.retainedSinceMillis = retainedSinceMillis;
        this.payloadBytes = payloadBytes;
        this.visibleAtMillis = visibleAtMillis;
        this.receiveCount = receiveCount;
        this.firstReceiveMillis = firstReceiveMillis;
        this.receiptNonce = receiptNonce;
    }

    public long seq() {
        return seq;
    }

    public long retainedSinceMillis() {
        return retainedSinceMillis;
    }

    public int payloadBytes() {
        return payloadBytes;
    }

    public long visibleAtMillis() {
        return visibleAtMillis;
    }

    public int receiveCount() {
        return receiveCount;
    }

    public long firstReceiveMillis() {
        return firstReceiveMillis;
    }

    public long receiptNonce() {
        return receiptNonce;
    }

    /**
     * Whether a receipt handle with {@code nonce} names this message's latest receive. A message never received has
     * no handle at all: its nonce (0) matches none, so a handle built from its queue id and sequence number does not
     * reach it.
     */
    boolean receivedWith(long nonce) {
        return receiveCount > 0 && receiptNonce == nonce;
    }

    /** Orders the not-yet-visible sets: by visibility time, then by sequence. */
    static int compareByVisibility(MessageMeta left, MessageMeta right) {
        int byTime = Long.compare(left.visibleAtMillis, right.visibleAtMillis);
        return byTime != 0 ? byTime : Long.compare(left.seq, right.seq);
    }
}
