package dev.sluice.broker.core;

import dev.sluice.broker.core.MessageMeta.Place;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The message groups of one queue, told by {@link QueueIndex} of every message that joins, leaves
 * or changes place. Owned by the apply thread; costs O(log n) per change whatever the queue's depth
 * or number of groups.
 *
 * <p>{@code ordered} (FIFO queues): a group is receivable when none of its messages is in flight
 * and its oldest message is ready; receivable groups are kept ordered by their oldest message.
 *
 * <p>Fair (standard queues, a group is a tenant): only each group's oldest ready message stands in
 * the queue's shared ready map, the group keeps the rest, so a receive passes over a tenant with
 * one step. A tenant is noisy, as SQS's fair queues define it, when it has at least
 * {@link #NOISY_MIN_IN_FLIGHT} messages in flight and more than {@link #NOISY_SHARE_PERCENT}
 * percent of the queue's; at most nine tenants can be noisy at once.
 */
final class MessageGroups {
    static final int NOISY_MIN_IN_FLIGHT = 30;
    static final int NOISY_SHARE_PERCENT = 10;

    private final boolean ordered;
    /** Fair mode: the queue's ready map, where each group's oldest ready message stands for it. */
    private final TreeMap<Long, MessageMeta> sharedReady;
    /** Lookup only, never iterated. */
    private final Map<String, Group> byId = new HashMap<>();
    /** Ordered mode: receivable groups by the sequence number of their oldest message. */
    private final TreeMap<Long, Group> receivable = new TreeMap<>();

    /** One group: its messages in send order (fair mode: its ready ones), how many it has and has in flight. */
    static final class Group {
        final String id;
        final TreeMap<Long, MessageMeta> messages = new TreeMap<>();
        int size;
        int inFlight;
        /** Ordered mode: the key under which the group is listed as receivable, or -1. */
        private long listedAt = -1;

        private Group(String id) {
            this.id = id;
        }
    }

    MessageGroups(boolean ordered, TreeMap<Long, MessageMeta> sharedReady) {
        this.ordered = ordered;
        this.sharedReady = sharedReady;
    }

    /** True when the group, not the queue's ready map, keeps this ready message (fair mode). */
    boolean keepsReady(MessageMeta meta) {
        return !ordered && meta.group != null;
    }

    /** A new message of the group, before the index places it (messages arrive in sequence order). */
    void join(String groupId, MessageMeta meta) {
        Group group = byId.computeIfAbsent(groupId, Group::new);
        meta.group = group;
        group.size++;
        if (ordered) {
            group.messages.put(meta.seq, meta);
        }
    }

    /** The index placed a grouped message at {@code meta.place}. */
    void entered(MessageMeta meta) {
        Group group = meta.group;
        if (meta.place == Place.IN_FLIGHT) {
            group.inFlight++;
        }
        if (ordered) {
            refresh(group);
        } else if (meta.place == Place.READY) {
            var head = group.messages.firstEntry();
            group.messages.put(meta.seq, meta);
            if (head == null || meta.seq < head.getKey()) {
                if (head != null) {
                    sharedReady.remove(head.getKey());
                }
                sharedReady.put(meta.seq, meta);
            }
        }
    }

    /** The index took a grouped message out of {@code meta.place}. */
    void left(MessageMeta meta) {
        Group group = meta.group;
        if (meta.place == Place.IN_FLIGHT) {
            group.inFlight--;
        }
        if (ordered) {
            refresh(group);
        } else if (meta.place == Place.READY) {
            group.messages.remove(meta.seq);
            if (sharedReady.remove(meta.seq) != null) {
                var next = group.messages.firstEntry();
                if (next != null) {
                    sharedReady.put(next.getKey(), next.getValue());
                }
            }
        }
    }

    /** A grouped message is gone from the queue (the index already took it out of its place). */
    void drop(MessageMeta meta) {
        Group group = meta.group;
        if (ordered) {
            group.messages.remove(meta.seq);
            refresh(group);
        }
        if (--group.size == 0) {
            byId.remove(group.id);
        }
    }

    /** Ordered mode: the oldest message of the receivable group with the oldest head, or null. */
    MessageMeta firstReceivable() {
        var first = receivable.firstEntry();
        return first == null ? null : first.getValue().messages.firstEntry().getValue();
    }

    /** Ordered mode: the message after {@code meta} in its group if it is ready, else null. */
    static MessageMeta nextReadyInGroup(MessageMeta meta) {
        var next = meta.group.messages.higherEntry(meta.seq);
        return next != null && next.getValue().place == Place.READY ? next.getValue() : null;
    }

    /**
     * Fair mode: the oldest ready message of a tenant that is not noisy; when every tenant with a
     * ready message is noisy, the oldest of the one with the fewest in flight; null when none is ready.
     * Messages without a group below {@code plainHead} (Long.MAX_VALUE: none) are ready too and never
     * noisy: null when a candidate here would come after it, so that the caller takes it instead.
     */
    MessageMeta fairest(int queueInFlight, long plainHead) {
        MessageMeta fallback = null;
        for (MessageMeta candidate : sharedReady.values()) {
            if (candidate.seq > plainHead) {
                return null;
            }
            Group group = candidate.group;
            if (group == null || !isNoisy(group, queueInFlight)) {
                return candidate;
            }
            if (fallback == null || group.inFlight < fallback.group.inFlight) {
                fallback = candidate;
            }
        }
        return plainHead == Long.MAX_VALUE ? fallback : null;
    }

    private static boolean isNoisy(Group group, int queueInFlight) {
        return group.inFlight >= NOISY_MIN_IN_FLIGHT && group.inFlight * 100L > (long) queueInFlight * NOISY_SHARE_PERCENT;
    }

    int receivableCount() {
        return receivable.size();
    }

    private void refresh(Group group) {
        var head = group.messages.firstEntry();
        long listAt = group.inFlight == 0 && head != null && head.getValue().place == Place.READY ? head.getKey() : -1;
        if (listAt == group.listedAt) {
            return;
        }
        if (group.listedAt >= 0) {
            receivable.remove(group.listedAt);
        }
        if (listAt >= 0) {
            receivable.put(listAt, group);
        }
        group.listedAt = listAt;
    }
}
