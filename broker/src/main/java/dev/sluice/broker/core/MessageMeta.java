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

    /** The three places of a message in its queue's index. */
    enum Place { READY, IN_FLIGHT, DELAYED }

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

    /** Orders the not-yet-visible sets: by visibility time, then by sequence. */
    static int compareByVisibility(MessageMeta left, MessageMeta right) {
        int byTime = Long.compare(left.visibleAtMillis, right.visibleAtMillis);
        return byTime != 0 ? byTime : Long.compare(left.seq, right.seq);
    }
}
