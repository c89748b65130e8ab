package dev.sluice.broker.ops;

import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.service.DeliveryHealth;
import dev.sluice.notify.service.NotificationCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
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
 * The notification service's meters on the server's registry: failing subscriptions per protocol (a gauge), and per
 * topic (and protocol) what this node published and delivered ({@link NotificationCounts}); each publish and each
 * delivery attempt happens on one node, so sum over the nodes. At most {@code maxLabelledTopics} topic names get
 * series of their own, the rest are summed under {@code topic="__overflow__"}. Registered once, from the composition
 * root.
 */
public final class NotifyMeters implements MultiCollector {
    /** Prometheus: {@code sluice_sns_subscriptions_failing{protocol="sqs"}}. */
    public static final String FAILING_SUBSCRIPTIONS = "sluice.sns.subscriptions.failing";
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
                "Notifications a subscription's filter policy kept from it, by subscription protocol."}));

    private final NotificationCounts counts;
    private final QueueLabels topics;

    private NotifyMeters(NotificationCounts counts, int maxLabelledTopics) {
        this.counts = counts;
        this.topics = new QueueLabels(maxLabelledTopics, "topic");
    }

    /** Registers the failing-subscriptions gauges and the per-topic counts on {@code meters}. */
    public static void register(PrometheusMeterRegistry meters, DeliveryHealth health, int maxLabelledTopics) {
        registerFailing(meters, health);
        meters.getPrometheusRegistry().register(new NotifyMeters(health.counts(), maxLabelledTopics));
    }

    /** One gauge per subscription protocol: how many subscriptions this node is failing to deliver to right now. */
    static void registerFailing(MeterRegistry meters, DeliveryHealth health) {
        for (String protocol : new TreeSet<>(Subscription.PROTOCOLS)) {
            Gauge.builder(FAILING_SUBSCRIPTIONS, health, current -> current.failing(protocol))
                    .tag("protocol", protocol)
                    .description("Subscriptions whose latest delivery attempt from this node failed (missing queue, "
                            + "refusing endpoint, failing function); see DeliveryStatus in GetSubscriptionAttributes")
                    .register(meters);
        }
    }

    @Override
    public MetricSnapshots collect() {
        SortedMap<List<String>, Long> snapshot = counts.snapshot();
        TreeSet<String> names = new TreeSet<>();
        snapshot.keySet().forEach(key -> names.add(key.get(1)));
        topics.admit(names);
        Map<NotificationCounts.Kind, Map<List<String>, Long>> byKind = new EnumMap<>(NotificationCounts.Kind.class);
        snapshot.forEach((key, count) -> byKind.computeIfAbsent(NotificationCounts.Kind.valueOf(key.get(0)),
                kind -> new TreeMap<>((left, right) -> String.join("\0", left).compareTo(String.join("\0", right))))
                .merge(List.of(topics.of(key.get(1)), key.get(2)), count, Long::sum));
        List<io.prometheus.metrics.model.snapshots.MetricSnapshot> families = new ArrayList<>();
        FAMILIES.forEach((kind, family) -> {
            List<CounterDataPointSnapshot> points = new ArrayList<>();
            byKind.getOrDefault(kind, Map.of()).forEach((key, count) -> points.add(new CounterDataPointSnapshot(count,
                    key.get(1).isEmpty() ? Labels.of("topic", key.get(0)) : Labels.of("topic", key.get(0), "protocol", key.get(1)),
                    null, 0)));
            families.add(new CounterSnapshot(new MetricMetadata(family[0], family[2] + " Counted by the node that did it: "
                    + "sum over the nodes.", new Unit(family[1])), points));
        });
        return new MetricSnapshots(families);
    }
}
