package dev.sluice.notify.service;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What this node did for each topic since it started, for the operators' meters: messages published here (their
 * bytes, and their sizes as a histogram), and per subscription protocol the notifications delivered, the delivery
 * attempts that failed (each retry counts again), the notifications a filter policy kept from a subscription and
 * those given up on into a subscription's dead-letter queue; and per protocol the time from publish to delivery.
 * Each publish and each delivery attempt happens on exactly one node (the one that answered the Publish, the one
 * whose worker received the copy), so nothing is counted twice and the sums over the nodes are the cluster's. One
 * entry per topic, protocol and kind ever seen here (a deleted topic's stay until the process restarts: a few dozen
 * bytes each, a few hundred for a histogram). Thread-safe.
 */
public final class NotificationCounts {
    /** What is counted; the first element of a {@link #snapshot} key. */
    public enum Kind { PUBLISHED, PUBLISHED_BYTES, DELIVERED, FAILED, FILTERED_OUT, DEAD_LETTERED }

    /** Orders {@code [kind, topic, protocol]} keys (and any list of strings) element by element. */
    public static final Comparator<List<String>> KEY_ORDER = (left, right) ->
            String.join("\0", left).compareTo(String.join("\0", right));
    /** Upper bounds of the publish-size buckets, in bytes: 1 KiB to 256 KiB (SNS's largest message), then +Inf. */
    public static final double[] SIZE_BOUNDS = {1024, 4096, 16384, 65536, 262144, Double.POSITIVE_INFINITY};
    /**
     * Upper bounds of the delivery-latency buckets, in seconds: from a quick in-process copy (10 ms) to a delivery
     * that waited out retries with backoff (an hour), then +Inf.
     */
    public static final double[] LATENCY_BOUNDS = {0.01, 0.05, 0.1, 0.5, 1, 5, 30, 300, 3600, Double.POSITIVE_INFINITY};

    /** One histogram's buckets (not cumulative) and sum; read while written, so a scrape may see one in flight. */
    public static final class Distribution {
        private final double[] bounds;
        private final AtomicLongArray buckets;
        private final DoubleAdder sum = new DoubleAdder();

        Distribution(double[] bounds) {
            this.bounds = bounds;
            this.buckets = new AtomicLongArray(bounds.length);
        }

        void record(double value) {
            int bucket = 0;
            while (value > bounds[bucket]) {
                bucket++;
            }
            buckets.incrementAndGet(bucket);
            sum.add(value);
        }

        public double[] bounds() {
            return bounds.clone();
        }

        /** The count of each bucket of {@link #bounds()}, not cumulative. */
        public long[] buckets() {
            long[] copy = new long[buckets.length()];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = buckets.get(i);
            }
            return copy;
        }

        public double sum() {
            return sum.sum();
        }
    }

    private final Map<List<String>, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, Distribution> publishSizes = new ConcurrentHashMap<>();
    private final Map<String, Distribution> latencies = new ConcurrentHashMap<>();

    void published(String topic, long sizeBytes) {
        add(Kind.PUBLISHED, topic, "", 1);
        add(Kind.PUBLISHED_BYTES, topic, "", sizeBytes);
        publishSizes.computeIfAbsent(topic, name -> new Distribution(SIZE_BOUNDS)).record(sizeBytes);
    }

    void delivered(String topic, String protocol, int notifications) {
        add(Kind.DELIVERED, topic, protocol, notifications);
    }

    /** A notification reached its subscriber {@code seconds} after it was published. */
    void latency(String protocol, double seconds) {
        latencies.computeIfAbsent(protocol, name -> new Distribution(LATENCY_BOUNDS)).record(Math.max(0, seconds));
    }

    void failed(String topic, String protocol, int notifications) {
        add(Kind.FAILED, topic, protocol, notifications);
    }

    void filteredOut(String topic, String protocol) {
        add(Kind.FILTERED_OUT, topic, protocol, 1);
    }

    /** Notifications given up on and put in (or left for the redrive into) the subscription's dead-letter queue. */
    void deadLettered(String topic, String protocol, int notifications) {
        add(Kind.DEAD_LETTERED, topic, protocol, notifications);
    }

    private void add(Kind kind, String topic, String protocol, long amount) {
        if (amount > 0) {
            counts.computeIfAbsent(List.of(kind.name(), topic, protocol), key -> new AtomicLong()).addAndGet(amount);
        }
    }

    /** Every count: key {@code [kind, topic, protocol]} (protocol empty for the publish counts), sorted. */
    public SortedMap<List<String>, Long> snapshot() {
        SortedMap<List<String>, Long> copy = new TreeMap<>(KEY_ORDER);
        counts.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    /** The publish sizes (bytes) by topic, sorted by topic. */
    public SortedMap<String, Distribution> publishSizes() {
        return new TreeMap<>(publishSizes);
    }

    /** The publish-to-delivery times (seconds) by subscription protocol, sorted by protocol. */
    public SortedMap<String, Distribution> latencies() {
        return new TreeMap<>(latencies);
    }
}
