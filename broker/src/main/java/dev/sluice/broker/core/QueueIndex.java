package dev.sluice.broker.core;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where every message of one queue stands: ready (visible, in send order), in flight (received,
 * until its visibility deadline) or delayed (sent with a delay). Every operation is O(log n) in the
 * queue's depth; nothing scans. Owned by the apply thread; iteration order is deterministic
 * (sorted sets; the hash map is only used for lookups).
 */
final class QueueIndex {
    private final TreeMap<Long, MessageMeta> ready = new TreeMap<>();
    private final TreeSet<MessageMeta> inFlight = new TreeSet<>(MessageMeta::compareByVisibility);
    private final TreeSet<MessageMeta> delayed = new TreeSet<>(MessageMeta::compareByVisibility);
    private final Map<Long, MessageMeta> bySeq = new HashMap<>();

    void add(MessageMeta meta, long nowMillis) {
        bySeq.put(meta.seq, meta);
        if (meta.visibleAtMillis <= nowMillis) {
            ready.put(meta.seq, meta);
        } else if (meta.receiveCount == 0) {
            delayed.add(meta);
        } else {
            inFlight.add(meta);
        }
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
            MessageMeta meta = waiting.pollFirst();
            ready.put(meta.seq, meta);
        }
    }

    /** The oldest ready message, or null. */
    MessageMeta firstReady() {
        var first = ready.firstEntry();
        return first == null ? null : first.getValue();
    }

    boolean isInFlight(MessageMeta meta) {
        return inFlight.contains(meta);
    }

    /** Takes a ready message into flight until {@code visibleAtMillis}. */
    void receive(MessageMeta meta, long nowMillis, long visibleAtMillis, long receiptNonce) {
        ready.remove(meta.seq);
        meta.receiveCount++;
        if (meta.firstReceiveMillis == 0) {
            meta.firstReceiveMillis = nowMillis;
        }
        meta.visibleAtMillis = visibleAtMillis;
        meta.receiptNonce = receiptNonce;
        inFlight.add(meta);
    }

    /** Moves an in-flight message's deadline; a deadline at or before now makes it ready. */
    void changeVisibility(MessageMeta meta, long nowMillis, long visibleAtMillis) {
        inFlight.remove(meta);
        meta.visibleAtMillis = visibleAtMillis;
        if (visibleAtMillis <= nowMillis) {
            ready.put(meta.seq, meta);
        } else {
            inFlight.add(meta);
        }
    }

    void remove(MessageMeta meta) {
        bySeq.remove(meta.seq);
        if (ready.remove(meta.seq) == null && !inFlight.remove(meta)) {
            delayed.remove(meta);
        }
    }

    /** Every message's sequence number, ascending: for purge and queue deletion. */
    long[] allSeqsSorted() {
        return bySeq.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    }

    int readyCount() {
        return ready.size();
    }

    /** Messages visible at {@code nowMillis}, counting those whose delay or timeout passed since the last receive. */
    int visibleCount(long nowMillis) {
        return ready.size() + overdue(inFlight, nowMillis) + overdue(delayed, nowMillis);
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
