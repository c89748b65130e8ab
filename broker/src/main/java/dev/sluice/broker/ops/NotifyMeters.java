package dev.sluice.broker.ops;

import dev.sluice.notify.service.DeliveryHealth;
import dev.sluice.notify.service.NotificationCounts;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The notification service's meters on the server's registry, per topic (and subscription protocol): subscriptions
 * failing right now (a gauge), what this node published and delivered ({@link NotificationCounts}: counts, publish
 * sizes) and the publish-to-delivery latency per protocol. Each publish and each delivery attempt happens on one node,
 * so sum the counts over the nodes; a failing subscription usually fails on every node (each delivers a share of the
 * messages), so take the {@code max} of the gauge over the nodes. At most {@code maxLabelledTopics} topic names get
 * series of their own, the rest are summed under {@code topic="__overflow__"}. Registered once, from the composition
 * root. Thread-safe (scrapes may overlap).
 */
public final class NotifyMeters implements MultiCollector {
    /** Prometheus: {@code sluice_sns_subscriptions_failing{topic="...",protocol="sqs"}}. */
    public static final String FAILING_SUBSCRIPTIONS = "sluice_sns_subscriptions_failing";
    static final String PUBLISH_SIZE = "sluice_sns_publish_size_bytes";
    static final String DELIVERY_LATENCY = "sluice_sns_delivery_latency_seconds";
    private static final Map<NotificationCounts.Kind, String[]> FAMILIES = new EnumMap<>(Map.of(
            NotificationCounts.Kind.PUBLISHED, new String[] {"sluice_sns_published_messages", "messages",
                "Messages published to the topic through this node (Publish and PublishBatch entries accepted)."},
            NotificationCounts.Kind.PUBLISHED_BYTES, new String[] {"sluice_sns_published_bytes", "bytes",
                "Bytes of the messages published to the topic through this node (message and attributes, as SNS measures them)."},
            NotificationCounts.Kind.DELIVERED, new String[] {"sluice_sns_delivered_notifications", "notifications",
                "Notifications this node delivered to subscriptions of the topic, by subscription protocol."},
            NotificationCounts.Kind.FAILED, new String[] {"sluice_sns_failed_notifications", "notifications",
                "Delivery attempts of notifications that failed on this node (each retry counts), by subscription protocol."},
            NotificationCounts.Kind.FILTERED_OUT, new String[] {"sluice_sns_filtered_out_notifications", "notifications",
                "Notifications a subscription's filter policy kept from it, by subscription protocol."},
            NotificationCounts.Kind.DEAD_LETTERED, new String[] {"sluice_sns_dead_lettered_notifications", "notifications",
                "Notifications given up on after their delivery attempts and moved to the subscription's dead-letter queue "
                    + "(an sqs subscription's missing queue: at once), by subscription protocol."}));

    private final DeliveryHealth health;
    private final QueueLabels topics;

    private NotifyMeters(DeliveryHealth health, int maxLabelledTopics) {
        this.health = health;
        this.topics = new QueueLabels(maxLabelledTopics, "topic");
    }

    /** Registers the notification meters on {@code meters}; answers them (for {@link #labels}). */
    public static NotifyMeters register(PrometheusMeterRegistry meters, DeliveryHealth health, int maxLabelledTopics) {
        NotifyMeters registered = new NotifyMeters(health, maxLabelledTopics);
        meters.getPrometheusRegistry().register(registered);
        return registered;
    }

    /**
     * Whether {@code /metrics} shows {@code topic} under a label of its own right now (else it is summed under the
     * overflow label, or unknown here): what may be told about one topic to a caller without a signature.
     */
    public boolean labels(String topic) {
        NotificationCounts counts = health.counts();
        topics.admit(names(counts.snapshot(), health.failingByTopic(), counts.publishSizes()));
        return topics.of(topic).equals(topic);
    }

    @Override
    public MetricSnapshots collect() {
        NotificationCounts counts = health.counts();
        SortedMap<List<String>, Long> snapshot = counts.snapshot();
        SortedMap<List<String>, Long> failing = health.failingByTopic();
        SortedMap<String, NotificationCounts.Distribution> sizes = counts.publishSizes();
        topics.admit(names(snapshot, failing, sizes));
        List<MetricSnapshot> families = new ArrayList<>();
        families.add(failing(failing));
        families.addAll(counters(snapshot));
        families.add(publishSizes(sizes));
        families.add(latencies(counts.latencies()));
        return new MetricSnapshots(families);
    }

    /** Every topic some meter has a value for. */
    private static TreeSet<String> names(SortedMap<List<String>, Long> snapshot, SortedMap<List<String>, Long> failing,
            SortedMap<String, NotificationCounts.Distribution> sizes) {
        TreeSet<String> names = new TreeSet<>(sizes.keySet());
        snapshot.keySet().forEach(key -> names.add(key.get(1)));
        failing.keySet().forEach(key -> names.add(key.get(0)));
        return names;
    }

    private GaugeSnapshot failing(SortedMap<List<String>, Long> failing) {
        Map<List<String>, Long> labelled = new TreeMap<>(NotificationCounts.KEY_ORDER);
        failing.forEach((key, count) -> labelled.merge(List.of(topics.of(key.get(0)), key.get(1)), count, Long::sum));
        List<GaugeDataPointSnapshot> points = new ArrayList<>();
        labelled.forEach((key, count) -> points.add(new GaugeDataPointSnapshot(count,
                Labels.of("topic", key.get(0), "protocol", key.get(1)), null)));
        return new GaugeSnapshot(new MetricMetadata(FAILING_SUBSCRIPTIONS, "Subscriptions whose latest delivery attempt "
                + "from this node failed (missing queue, refusing endpoint, failing function); 0 for a topic's protocols "
                + "that deliver. See Status and LastDeliveryError in GetSubscriptionAttributes. Each node sees its own "
                + "attempts: take the max over the nodes."), points);
    }

    private List<MetricSnapshot> counters(SortedMap<List<String>, Long> snapshot) {
        Map<NotificationCounts.Kind, Map<List<String>, Long>> byKind = new EnumMap<>(NotificationCounts.Kind.class);
        snapshot.forEach((key, count) -> byKind.computeIfAbsent(NotificationCounts.Kind.valueOf(key.get(0)),
                kind -> new TreeMap<>(NotificationCounts.KEY_ORDER))
                .merge(List.of(topics.of(key.get(1)), key.get(2)), count, Long::sum));
        List<MetricSnapshot> families = new ArrayList<>();
        FAMILIES.forEach((kind, family) -> {
            List<CounterDataPointSnapshot> points = new ArrayList<>();
            byKind.getOrDefault(kind, Map.of()).forEach((key, count) -> points.add(new CounterDataPointSnapshot(count,
                    key.get(1).isEmpty() ? Labels.of("topic", key.get(0)) : Labels.of("topic", key.get(0), "protocol", key.get(1)),
                    null, 0)));
            families.add(new CounterSnapshot(new MetricMetadata(family[0], family[2] + " Counted by the node that did it: "
                    + "sum over the nodes.", new Unit(family[1])), points));
        });
        return families;
    }

    private HistogramSnapshot publishSizes(SortedMap<String, NotificationCounts.Distribution> sizes) {
        Map<String, Merged> byLabel = new TreeMap<>();
        sizes.forEach((topic, distribution) -> byLabel.computeIfAbsent(topics.of(topic), label -> new Merged()).add(distribution));
        List<HistogramDataPointSnapshot> points = new ArrayList<>();
        byLabel.forEach((topic, merged) -> points.add(merged.point(NotificationCounts.SIZE_BOUNDS, Labels.of("topic", topic))));
        return new HistogramSnapshot(new MetricMetadata(PUBLISH_SIZE, "Size of the messages published to the topic through "
                + "this node (message and attributes, as SNS measures them). Sum over the nodes.", Unit.BYTES), points);
    }

    private static HistogramSnapshot latencies(SortedMap<String, NotificationCounts.Distribution> latencies) {
        List<HistogramDataPointSnapshot> points = new ArrayList<>();
        latencies.forEach((protocol, distribution) -> {
            Merged merged = new Merged();
            merged.add(distribution);
            points.add(merged.point(NotificationCounts.LATENCY_BOUNDS, Labels.of("protocol", protocol)));
        });
        return new HistogramSnapshot(new MetricMetadata(DELIVERY_LATENCY, "Time from the publish of a notification to its "
                + "delivery (queued in the subscribed queue, or a 2xx from the endpoint, retries included), by subscription "
                + "protocol, measured by the node that delivered it. Sum the buckets over the nodes.", Unit.SECONDS), points);
    }

    /** Histograms summed under one label value (topics beyond the label bound share the overflow series). */
    private static final class Merged {
        private long[] buckets;
        private double sum;

        void add(NotificationCounts.Distribution distribution) {
            long[] more = distribution.buckets();
            if (buckets == null) {
                buckets = new long[more.length];
            }
            for (int i = 0; i < more.length; i++) {
                buckets[i] += more[i];
            }
            sum += distribution.sum();
        }

        HistogramDataPointSnapshot point(double[] bounds, Labels labels) {
            return new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, buckets), sum, labels, Exemplars.EMPTY, 0);
        }
    }
}
