package dev.sluice.notify.service;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this node did for each topic since it started, for the operators' meters: messages published here (and their
 * bytes), and per subscription protocol the notifications delivered, the delivery attempts that failed (each retry
 * counts again) and the notifications a filter policy kept from a subscription. Each publish and each delivery
 * attempt happens on one node, so the sums over the nodes are the cluster's. One entry per topic, protocol and kind
 * ever seen here (a deleted topic's stay until the process restarts: a few dozen bytes each). Thread-safe.
 */
public final class NotificationCounts {
    /** What is counted; the first element of a {@link #snapshot} key. */
    public enum Kind { PUBLISHED, PUBLISHED_BYTES, DELIVERED, FAILED, FILTERED_OUT }

    private final Map<List<String>, AtomicLong> counts = new ConcurrentHashMap<>();

    void published(String topic, long sizeBytes) {
        add(Kind.PUBLISHED, topic, "", 1);
        add(Kind.PUBLISHED_BYTES, topic, "", sizeBytes);
    }

    void delivered(String topic, String protocol, int notifications) {
        add(Kind.DELIVERED, topic, protocol, notifications);
    }

    void failed(String topic, String protocol, int notifications) {
        add(Kind.FAILED, topic, protocol, notifications);
    }

    void filteredOut(String topic, String protocol) {
        add(Kind.FILTERED_OUT, topic, protocol, 1);
    }

    private void add(Kind kind, String topic, String protocol, long amount) {
        if (amount > 0) {
            counts.computeIfAbsent(List.of(kind.name(), topic, protocol), key -> new AtomicLong()).addAndGet(amount);
        }
    }

    /** Every count: key {@code [kind, topic, protocol]} (protocol empty for the publish counts), sorted. */
    public SortedMap<List<String>, Long> snapshot() {
        SortedMap<List<String>, Long> copy = new TreeMap<>((left, right) -> String.join("\0", left).compareTo(String.join("\0", right)));
        counts.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }
}
