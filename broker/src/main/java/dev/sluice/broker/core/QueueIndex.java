package dev.sluice.broker.core;

import dev.sluice.broker.core.MessageMeta.Place;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where every message of one queue stands: ready (visible, in send order), in flight (received,
 * until its visibility deadline) or delayed (sent with a delay). Messages with a MessageGroupId are
 * also kept by {@link MessageGroups}: on FIFO queues the groups decide what a receive may take, on
 * standard queues they make the queue fair between tenants. Every operation is O(log n) in the
 * queue's depth; nothing scans. Owned by the apply thread; iteration order is deterministic (sorted
 * sets; the hash map is only used for lookups).
 *
 * <p>A deep backlog costs 20 bytes a message: a standard queue's messages never received, sent without a delay or
 * a group, stay in a {@link PlainBacklog} (sequence number, retention start and payload size) and get a {@link MessageMeta} of
 * their own only when something happens to them (a receive, a delete). Every answer treats them as ready
 * messages in sequence order, exactly as if they had their objects, so where a message is held is never visible.
 */
final class QueueIndex {
    /** Ready messages; on standard queues, of each group only its oldest (the group keeps the rest). */
    private final TreeMap<Long, MessageMeta> ready = new TreeMap<>();
    private final TreeSet<MessageMeta> inFlight = new TreeSet<>(MessageMeta::compareByVisibility);
    private final TreeSet<MessageMeta> delayed = new TreeSet<>(MessageMeta::compareByVisibility);
    /** Sorted so that the oldest message is at hand for the age gauge; sequence numbers only grow, so inserts append. */
    private final TreeMap<Long, MessageMeta> bySeq = new TreeMap<>();
    /** Ready messages held without an object: never in {@link #bySeq} at the same time. */
    private final PlainBacklog plain = new PlainBacklog();
    private final boolean fifo;
    private final MessageGroups groups;
    private int readyCount;

    QueueIndex(boolean fifo) {
        this.fifo = fifo;
        this.groups = new MessageGroups(fifo, ready);
    }

    /** Adds a message; {@code groupId} is its MessageGroupId, or null. */
    void add(MessageMeta meta, String groupId, long nowMillis) {
        if (meta.visibleAtMillis <= nowMillis && holdsPlain(meta, groupId)) {
            addPlain(meta);
            return;
        }
        addFull(meta, groupId, nowMillis);
    }

    /**
     * Adds a message read back from storage, which knows no time ({@code nowMillis} is the earliest the caller can
     * vouch for): a plain message (see {@link #holdsPlain}) became visible the moment it was stored, so it is ready
     * at once; any other waits for the first promotion.
     */
    void restore(MessageMeta meta, String groupId, long nowMillis) {
        if (holdsPlain(meta, groupId)) {
            addPlain(meta);
        } else {
            add(meta, groupId, nowMillis);
        }
    }

    /**
     * Whether a message may stay in the plain backlog: a standard queue's, without a group, never received and
     * visible from when its retention started (so sent without a delay, and not a dead letter, whose retention
     * counts from its first send), and above every sequence number the backlog holds.
     */
    private boolean holdsPlain(MessageMeta meta, String groupId) {
        return !fifo && groupId == null && meta.receiveCount == 0 && meta.visibleAtMillis == meta.retainedSinceMillis
                && plain.acceptsNext(meta.seq);
    }

    private void addPlain(MessageMeta meta) {
        plain.append(meta.seq, meta.retainedSinceMillis, meta.payloadBytes);
        readyCount++;
    }

    private void addFull(MessageMeta meta, String groupId, long nowMillis) {
        bySeq.put(meta.seq, meta);
        if (groupId != null) {
            groups.join(groupId, meta);
        }
        if (meta.visibleAtMillis <= nowMillis) {
            enter(meta, Place.READY);
        } else {
            enter(meta, meta.receiveCount == 0 ? Place.DELAYED : Place.IN_FLIGHT);
        }
    }

    private void enter(MessageMeta meta, Place place) {
        meta.place = place;
        switch (place) {
            case READY -> {
                readyCount++;
                if (!groups.keepsReady(meta)) {
                    ready.put(meta.seq, meta);
                }
            }
            case IN_FLIGHT -> inFlight.add(meta);
            case DELAYED -> delayed.add(meta);
            case PLAIN -> throw new IllegalArgumentException("only add puts a message in the plain backlog");
        }
        if (meta.group != null) {
            groups.entered(meta);
        }
    }

    private void leave(MessageMeta meta) {
        switch (meta.place) {
            case PLAIN -> {
                readyCount--;
                plain.remove(meta.seq);
            }
            case READY -> {
                readyCount--;
                if (!groups.keepsReady(meta)) {
                    ready.remove(meta.seq);
                }
            }
            case IN_FLIGHT -> inFlight.remove(meta);
            case DELAYED -> delayed.remove(meta);
        }
        if (meta.group != null) {
            groups.left(meta);
        }
    }

    /**
     * Moves a message to a place with a new visibility time. The sorted sets order by visibility
     * time, so the message leaves its set before the time changes.
     */
    private void move(MessageMeta meta, Place to, long visibleAtMillis) {
        if (meta.place == Place.PLAIN) {
            bySeq.put(meta.seq, meta); // the view becomes the message's own object
        }
        leave(meta);
        meta.visibleAtMillis = visibleAtMillis;
        enter(meta, to);
    }

    /** The message of sequence number {@code seq}, or null; of a plain message, a view (changes nothing). */
    MessageMeta get(long seq) {
        MessageMeta meta = bySeq.get(seq);
        return meta != null || !plain.contains(seq) ? meta
                : plainView(seq, plain.retainedSinceMillis(seq), plain.payloadBytes(seq));
    }

    private static MessageMeta plainView(long seq, long retainedSinceMillis, int payloadBytes) {
        MessageMeta view = new MessageMeta(seq, retainedSinceMillis, retainedSinceMillis, 0, 0, 0, payloadBytes);
        view.place = Place.PLAIN;
        return view;
    }

    /** Makes every message whose delay or visibility timeout has passed ready again. */
    void promote(long nowMillis) {
        promoteFrom(inFlight, nowMillis);
        promoteFrom(delayed, nowMillis);
    }

    private void promoteFrom(TreeSet<MessageMeta> waiting, long nowMillis) {
        while (!waiting.isEmpty() && waiting.first().visibleAtMillis <= nowMillis) {
            MessageMeta meta = waiting.first();
            move(meta, Place.READY, meta.visibleAtMillis);
        }
    }

    /**
     * The message a receive takes next, or null. FIFO queue: the next ready message of the group of
     * {@code previous} (the message this receive took last, or null), else the oldest message of the
     * receivable group with the oldest head. Standard queue: the oldest ready message, passing over
     * noisy tenants while a quiet one has a message ready.
     */
    MessageMeta nextReceivable(MessageMeta previous) {
        if (!fifo) {
            long plainHead = plain.firstSeq();
            MessageMeta fairest = groups.fairest(inFlight.size(), plainHead);
            return fairest != null || plain.isEmpty() ? fairest : plainView(plainHead, plain.firstRetainedSinceMillis(),
                    plain.firstPayloadBytes());
        }
        MessageMeta next = previous == null ? null : MessageGroups.nextReadyInGroup(previous);
        return next != null ? next : groups.firstReceivable();
    }

    /**
     * Whether {@code meta} is a message a consumer may take at {@code nowMillis} (after {@link #promote}): ready, and on a
     * FIFO queue the oldest of its group with none of the group in flight.
     */
    boolean takeableNow(MessageMeta meta, long nowMillis) {
        if (meta.place == Place.PLAIN) {
            return true;
        }
        if (meta.place != Place.READY || meta.visibleAtMillis > nowMillis) {
            return false;
        }
        return !fifo || meta.group == null
                || (meta.group.inFlight == 0 && meta.group.messages.firstKey() == meta.seq);
    }

    boolean isInFlight(MessageMeta meta) {
        return meta.place == Place.IN_FLIGHT;
    }

    /** Takes a ready message into flight until {@code visibleAtMillis}. */
    void receive(MessageMeta meta, long nowMillis, long visibleAtMillis, long receiptNonce) {
        meta.receiveCount++;
        if (meta.firstReceiveMillis == 0) {
            meta.firstReceiveMillis = nowMillis;
        }
        meta.receiptNonce = receiptNonce;
        move(meta, Place.IN_FLIGHT, visibleAtMillis);
    }

    /**
     * Messages never received (delayed or ready), for a change of a FIFO queue's delay; a copy, in a deterministic
     * order. A FIFO queue has no plain backlog (its messages all have a group).
     */
    List<MessageMeta> notYetReceived() {
        List<MessageMeta> waiting = new ArrayList<>(delayed);
        for (MessageMeta meta : ready.values()) {
            if (meta.receiveCount == 0) {
                waiting.add(meta);
            }
        }
        return waiting;
    }

    /** Gives a message never received a new time to become visible: ready if that is now or past, else delayed. */
    void delayUntil(MessageMeta meta, long nowMillis, long visibleAtMillis) {
        move(meta, visibleAtMillis <= nowMillis ? Place.READY : Place.DELAYED, visibleAtMillis);
    }

    /** Moves an in-flight message's deadline; a deadline at or before now makes it ready. */
    void changeVisibility(MessageMeta meta, long nowMillis, long visibleAtMillis) {
        move(meta, visibleAtMillis <= nowMillis ? Place.READY : Place.IN_FLIGHT, visibleAtMillis);
    }

    void remove(MessageMeta meta) {
        bySeq.remove(meta.seq);
        leave(meta);
        if (meta.group != null) {
            groups.drop(meta);
        }
    }

    /**
     * Removes every message, telling {@code removed} each sequence number: for purge and queue deletion. Costs
     * nothing per plain message beyond the call (no view is made).
     */
    void clear(java.util.function.LongConsumer removed) {
        for (MessageMeta meta : new ArrayList<>(bySeq.values())) {
            remove(meta);
            removed.accept(meta.seq);
        }
        readyCount -= plain.size();
        plain.clear(removed);
    }

    /** Up to {@code limit} messages, oldest (lowest sequence number) first; plain ones as views. */
    List<MessageMeta> oldest(int limit) {
        List<MessageMeta> oldest = new ArrayList<>(Math.min(limit, size()));
        var full = bySeq.values().iterator();
        MessageMeta[] nextFull = {full.hasNext() ? full.next() : null};
        plain.forEach((seq, retainedSince, payloadBytes) -> {
            while (oldest.size() < limit && nextFull[0] != null && nextFull[0].seq < seq) {
                oldest.add(nextFull[0]);
                nextFull[0] = full.hasNext() ? full.next() : null;
            }
            if (oldest.size() < limit) {
                oldest.add(plainView(seq, retainedSince, payloadBytes));
            }
            return oldest.size() < limit;
        });
        while (oldest.size() < limit && nextFull[0] != null) {
            oldest.add(nextFull[0]);
            nextFull[0] = full.hasNext() ? full.next() : null;
        }
        return oldest;
    }

    /** Every message's sequence number, ascending. */
    long[] allSeqsSorted() {
        long[] seqs = new long[size()];
        int[] at = {0};
        bySeq.keySet().forEach(seq -> seqs[at[0]++] = seq);
        plain.forEach((seq, retainedSince, payloadBytes) -> {
            seqs[at[0]++] = seq;
            return true;
        });
        java.util.Arrays.sort(seqs);
        return seqs;
    }

    /** Messages a receive could take now: ready ones, or for a FIFO queue the receivable groups. */
    int receivableCount() {
        return fifo ? groups.receivableCount() : readyCount;
    }

    /** Messages visible at {@code nowMillis}, counting those whose delay or timeout passed since the last receive. */
    int visibleCount(long nowMillis) {
        return readyCount + overdue(inFlight, nowMillis) + overdue(delayed, nowMillis);
    }

    int inFlightCount(long nowMillis) {
        return inFlight.size() - overdue(inFlight, nowMillis);
    }

    int delayedCount(long nowMillis) {
        return delayed.size() - overdue(delayed, nowMillis);
    }

    /** Costs the number of overdue messages, which promotion at the next receive clears anyway. */
    private static int overdue(TreeSet<MessageMeta> waiting, long nowMillis) {
        int count = 0;
        for (MessageMeta meta : waiting) {
            if (meta.visibleAtMillis > nowMillis) {
                break;
            }
            count++;
        }
        return count;
    }

    int inFlightCount() {
        return inFlight.size();
    }

    /** Every message of the queue, visible or not. */
    int size() {
        return bySeq.size() + plain.size();
    }

    /** Messages held without an object of their own (see {@link PlainBacklog}). */
    int plainCount() {
        return plain.size();
    }

    /**
     * When the message that entered this queue first (lowest sequence, whatever its place) started its retention
     * period, as {@link MessageMeta#retainedSinceMillis}; -1 for an empty queue.
     */
    long oldestRetainedSinceMillis() {
        var oldest = bySeq.firstEntry();
        if (!plain.isEmpty() && (oldest == null || plain.firstSeq() < oldest.getKey())) {
            return plain.firstRetainedSinceMillis();
        }
        return oldest == null ? -1 : oldest.getValue().retainedSinceMillis;
    }

    /** When the next delayed or in-flight message becomes visible; Long.MAX_VALUE if none. */
    long nextVisibleAtMillis() {
        long next = Long.MAX_VALUE;
        if (!inFlight.isEmpty()) {
            next = inFlight.first().visibleAtMillis;
        }
        if (!delayed.isEmpty()) {
            next = Math.min(next, delayed.first().visibleAtMillis);
        }
        return next;
    }
}
