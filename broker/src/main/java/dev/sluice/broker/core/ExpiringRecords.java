package dev.sluice.broker.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Records keyed by queue and name that lapse at a stamped time: lookups ignore lapsed ones, and
 * {@link #prune} takes them out in expiry order, a bounded number per call, so the table never
 * outgrows what one interval of traffic puts in. Owned by the apply thread; deterministic (the
 * hash map is only used for lookups).
 */
final class ExpiringRecords<V extends Expiring> {
    /** A record's address: the queue's id and a name unique within the queue. */
    record Key(long queueId, String name) {
    }

    private record Entry<V>(Key key, V value) {
    }

    private final Map<Key, Entry<V>> byKey = new HashMap<>();
    private final TreeSet<Entry<V>> byExpiry = new TreeSet<>(Comparator
            .<Entry<V>>comparingLong(entry -> entry.value().expiresAtMillis())
            .thenComparingLong(entry -> entry.key().queueId())
            .thenComparing(entry -> entry.key().name()));

    /** The record, or null when there is none or it has lapsed at {@code nowMillis}. */
    V get(long queueId, String name, long nowMillis) {
        Entry<V> entry = byKey.get(new Key(queueId, name));
        return entry == null || entry.value().expiresAtMillis() <= nowMillis ? null : entry.value();
    }

    void put(long queueId, String name, V value) {
        Key key = new Key(queueId, name);
        Entry<V> previous = byKey.put(key, new Entry<>(key, value));
        if (previous != null) {
            byExpiry.remove(previous);
        }
        byExpiry.add(byKey.get(key));
    }

    /** Takes out up to {@code limit} records lapsed at {@code nowMillis}, oldest first, and returns their keys. */
    List<Key> prune(long nowMillis, int limit) {
        List<Key> pruned = new ArrayList<>();
        while (pruned.size() < limit && !byExpiry.isEmpty() && byExpiry.first().value().expiresAtMillis() <= nowMillis) {
            Entry<V> entry = byExpiry.pollFirst();
            byKey.remove(entry.key());
            pruned.add(entry.key());
        }
        return pruned;
    }

    /** Whether the queue has a record not lapsed at {@code nowMillis}; scans every record (for rare operator checks). */
    boolean anyLive(long queueId, long nowMillis) {
        for (Entry<V> entry : byExpiry.descendingSet()) {
            if (entry.value().expiresAtMillis() <= nowMillis) {
                return false;
            }
            if (entry.key().queueId() == queueId) {
                return true;
            }
        }
        return false;
    }

    /** The queue's records not lapsed at {@code nowMillis}, by name; scans every record (for a queue's migration). */
    java.util.SortedMap<String, V> live(long queueId, long nowMillis) {
        java.util.SortedMap<String, V> live = new java.util.TreeMap<>();
        for (Entry<V> entry : byExpiry) {
            if (entry.key().queueId() == queueId && entry.value().expiresAtMillis() > nowMillis) {
                live.put(entry.key().name(), entry.value());
            }
        }
        return live;
    }

    int size() {
        return byKey.size();
    }
}
