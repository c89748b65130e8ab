package dev.sluice.notify.service;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which subscriptions the held messages of one FIFO topic's outbox still owe a copy, as this node last fanned them out.
 * A group with a copy to retry stays in the outbox whole; without this, each retry would send every other subscriber
 * its copies again, and their FIFO queues drop those only within the 5-minute deduplication window. Node-local and
 * bounded ({@link #MAX_MESSAGES}, the least recently held forgotten first, so a group failing for days keeps its place): a message this node does not remember (another node
 * fanned it out, or it was forgotten to make room) goes to every matching subscription again, deduplicated as before.
 * Shared by one topic's fanout workers on this node; thread-safe.
 */
final class HeldFifoCopies {
    /** Held messages remembered; each entry is an outbox message id and a few subscription ids. */
    static final int MAX_MESSAGES = 10_000;

    private final Map<String, List<String>> owed = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
            return size() > MAX_MESSAGES;
        }
    };

    /** The subscriptions still owed a copy of outbox message {@code outboxMessageId}; empty when not remembered. */
    synchronized Optional<List<String>> owedBy(String outboxMessageId) {
        return Optional.ofNullable(owed.get(outboxMessageId));
    }

    /** Remembers that the held message owes copies to {@code subscriptionIds} only (none: every copy is stored). */
    synchronized void held(String outboxMessageId, Collection<String> subscriptionIds) {
        // Re-put, not put: a message held again moves to the newest end of the insertion order.
        owed.remove(outboxMessageId);
        owed.put(outboxMessageId, List.copyOf(subscriptionIds));
    }

    /** Forgets a message that left the outbox. */
    synchronized void released(String outboxMessageId) {
        owed.remove(outboxMessageId);
    }
}
