package dev.sluice.broker.core;

import dev.sluice.broker.core.MessageMeta.Place;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The message groups of one FIFO queue and which of them may deliver now: a group is receivable
 * when none of its messages is in flight and its oldest message is ready. Receivable groups are
 * kept ordered by their oldest message, so finding the next one costs O(log groups) whatever the
 * queue's depth or number of groups. Owned by the apply thread, through {@link QueueIndex}.
 */
final class MessageGroups {
    /** Lookup only, never iterated. */
    private final Map<String, Group> byId = new HashMap<>();
    /** Receivable groups by the sequence number of their oldest message. */
    private final TreeMap<Long, Group> receivable = new TreeMap<>();

    /** One group: its messages in send order and how many of them are in flight. */
    static final class Group {
        final String id;
        final TreeMap<Long, MessageMeta> messages = new TreeMap<>();
        int inFlight;
        /** The key under which the group is listed as receivable, or -1. */
        private long listedAt = -1;

        private Group(String id) {
            this.id = id;
        }
    }

    /** Appends a message to its group (messages arrive in sequence order). */
    void add(String groupId, MessageMeta meta) {
        Group group = byId.computeIfAbsent(groupId, Group::new);
        meta.group = group;
        group.messages.put(meta.seq, meta);
        if (meta.place == Place.IN_FLIGHT) {
            group.inFlight++;
        }
        refresh(group);
    }

    void remove(MessageMeta meta) {
        Group group = meta.group;
        group.messages.remove(meta.seq);
        if (meta.place == Place.IN_FLIGHT) {
            group.inFlight--;
        }
        refresh(group);
        if (group.messages.isEmpty()) {
            byId.remove(group.id);
        }
    }

    /** Called after a message of the group moved between ready, in flight and delayed. */
    void moved(MessageMeta meta, Place from) {
        Group group = meta.group;
        if (from == Place.IN_FLIGHT) {
            group.inFlight--;
        }
        if (meta.place == Place.IN_FLIGHT) {
            group.inFlight++;
        }
        refresh(group);
    }

    /** The oldest message of the receivable group with the oldest head, or null. */
    MessageMeta firstReceivable() {
        var first = receivable.firstEntry();
        return first == null ? null : first.getValue().messages.firstEntry().getValue();
    }

    /** The message after {@code meta} in its group if it is ready, else null: a receive takes a group's run. */
    static MessageMeta nextReadyInGroup(MessageMeta meta) {
        var next = meta.group.messages.higherEntry(meta.seq);
        return next != null && next.getValue().place == Place.READY ? next.getValue() : null;
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
