package dev.sluice.broker.core;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access Policy of each queue of a {@link QueueBook}, readable from any thread without the engine's lock.
 *
 * <p>Why: the SQS edge checks every request against its queue's Policy on an event loop. Read through the engine's read
 * lock, that check waits whenever the apply thread holds the write lock for a command (a receive reading its bodies
 * from RocksDB, say), and it parks and wakes the event loop thread under load. The book writes here at the points
 * where a queue comes into being, changes its settings, or goes away, so an answer here is one the book gave between
 * those writes: as fresh as a read under the lock, never a mix of two settings.
 *
 * <p>Threads: written by the book's owner (the apply thread, or the thread that rebuilds the book before it is
 * published); read from any thread. Holds one entry per queue of the book (bounded as the book is); never iterated.
 */
final class PublishedPolicies {
    private final Map<String, Optional<String>> byName = new ConcurrentHashMap<>();

    /** The queue {@code name} exists with these settings: its Policy, if any, is what a check reads from now on. */
    void publish(String name, QueueSettings settings) {
        byName.put(name, Optional.ofNullable(settings.policy()));
    }

    /** The queue {@code name} is gone. */
    void withdraw(String name) {
        byName.remove(name);
    }

    /** The queue's Policy; empty for a queue without one and for a missing queue. */
    Optional<String> of(String name) {
        return byName.getOrDefault(name, Optional.empty());
    }
}
