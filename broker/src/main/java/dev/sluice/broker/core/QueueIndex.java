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
 */
final class QueueIndex {
    /** Ready messages; on standard queues, of each group only its oldest (the group keeps the rest). */
    private final TreeMap<Long, MessageMeta> ready = new TreeMap<>();
    private final TreeSet<MessageMeta> inFlight = new TreeSet<>(MessageMeta::compareByVisibility);
    private final TreeSet<MessageMeta> delayed = new TreeSet<>(MessageMeta::compareByVisibility);
    /** Sorted so that the oldest message is at hand for the age gauge; sequence numbers only grow, so inserts append. */
    private final TreeMap<Long, MessageMeta> bySeq = new TreeMap<>();
    private final boolean fifo;
    private final MessageGroups groups;
    private int readyCount;

    QueueIndex(boolean fifo) {
        this.fifo = fifo;
        this.groups = new MessageGroups(fifo, ready);
    }

    /** Adds a message; {@code groupId} is its MessageGroupId, or null. */
    void add(MessageMeta meta, String groupId, long nowMillis) {
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
        }
        if (meta.group != null) {
            groups.entered(meta);
        }
    }

    private void leave(MessageMeta meta) {
        switch (meta.place) {
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
        leave(meta);
        meta.visibleAtMillis = visibleAtMillis;
        enter(meta, to);
    }

    MessageMeta get(long seq) {
        return bySeq.get(seq);
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
            return groups.fairest(inFlight.size());
        }
        MessageMeta next = previous == null ? null : MessageGroups.nextReadyInGroup(previous);
        return next != null ? next : groups.firstReceivable();
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

    /** Messages never received (delayed or ready), for a change of a FIFO queue's delay; a copy, in a deterministic order. */
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

    /** Every message's sequence number, ascending: for purge and queue deletion. */
    /** Up to {@code limit} messages, oldest (lowest sequence number) first. */
    List<MessageMeta> oldest(int limit) {
        List<MessageMeta> oldest = new ArrayList<>(Math.min(limit, bySeq.size()));
        for (MessageMeta meta : bySeq.values()) {
            if (oldest.size() == limit) {
                break;
            }
            oldest.add(meta);
        }
        return oldest;
    }

    long[] allSeqsSorted() {
        return bySeq.keySet().stream().mapToLong(Long::longValue).toArray();
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
        return bySeq.size();
    }

    /**
     * When the message that entered this queue first (lowest sequence, whatever its place) started its retention
     * period, as {@link MessageMeta#retainedSinceMillis}; -1 for an empty queue.
     */
    long oldestRetainedSinceMillis() {
        var oldest = bySeq.firstEntry();
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
