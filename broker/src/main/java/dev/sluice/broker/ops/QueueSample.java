package dev.sluice.broker.ops;

import dev.sluice.broker.core.QueueDepth;
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
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The per-queue values of one series (a queue in a group, or the overflow of a group summed), and the metric families
 * they make. Names and help texts are the contract the dashboard and the alert rules use.
 */
final class QueueSample {
    static final String VISIBLE = "sluice_queue_visible_messages";
    static final String IN_FLIGHT = "sluice_queue_in_flight_messages";
    static final String DELAYED = "sluice_queue_delayed_messages";
    static final String OLDEST_AGE = "sluice_queue_oldest_message_age_seconds";
    static final String SENT = "sluice_queue_sent_messages";
    static final String RECEIVED = "sluice_queue_received_messages";
    static final String DELETED = "sluice_queue_deleted_messages";
    static final String DEAD_LETTERED = "sluice_queue_dead_lettered_messages";
    static final String EMPTY_RECEIVES = "sluice_queue_empty_receives";
    static final String SENT_SIZE = "sluice_queue_sent_message_size_bytes";
    private static final Unit MESSAGES = new Unit("messages");
    private static final Unit RECEIVES = new Unit("receives");
    private static final String LEADER_ONLY = " Exported by the node leading the queue's data group only.";

    private long visible;
    private long inFlight;
    private long delayed;
    private long oldestAgeMillis;
    private long sent;
    private long received;
    private long deleted;
    private long deadLettered;
    private long sentBytes;
    private final long[] sizeBuckets = new long[QueueTraffic.SIZE_BOUNDS.length];

    void add(QueueDepth depth, QueueTraffic.Tally traffic) {
        visible += depth.visible();
        inFlight += depth.inFlight();
        delayed += depth.delayed();
        oldestAgeMillis = Math.max(oldestAgeMillis, depth.oldestAgeMillis());
        if (traffic != null) {
            sent += traffic.sent.get();
            received += traffic.received.get();
            deleted += traffic.deleted.get();
            deadLettered += traffic.deadLettered.get();
            sentBytes += traffic.sentBytes.get();
            for (int bucket = 0; bucket < sizeBuckets.length; bucket++) {
                sizeBuckets[bucket] += traffic.sizeBuckets.get(bucket);
            }
        }
    }

    /** The families of {@code samples} (key: queue label, group) and of the empty receives (key: queue label). */
    static MetricSnapshots snapshots(Map<List<String>, QueueSample> samples, Map<String, Long> emptyReceives) {
        List<MetricSnapshot> families = new ArrayList<>();
        families.add(gauge(samples, VISIBLE, MESSAGES, sample -> sample.visible,
                "Messages available for retrieval (ApproximateNumberOfMessagesVisible)."));
        families.add(gauge(samples, IN_FLIGHT, MESSAGES, sample -> sample.inFlight,
                "Messages received and neither deleted nor visible again (ApproximateNumberOfMessagesNotVisible)."));
        families.add(gauge(samples, DELAYED, MESSAGES, sample -> sample.delayed,
                "Messages sent with a delay that has not passed (ApproximateNumberOfMessagesDelayed)."));
        families.add(gauge(samples, OLDEST_AGE, Unit.SECONDS, sample -> sample.oldestAgeMillis / 1000.0,
                "Age of the message longest in the queue, 0 when empty (ApproximateAgeOfOldestMessage)."));
        families.add(counter(samples, SENT, MESSAGES, sample -> sample.sent,
                "Messages added to the queue by a send, not counting FIFO duplicates or dead letters (NumberOfMessagesSent)."));
        families.add(counter(samples, RECEIVED, MESSAGES, sample -> sample.received,
                "Messages returned by receives (NumberOfMessagesReceived)."));
        families.add(counter(samples, DELETED, MESSAGES, sample -> sample.deleted,
                "Successful deletes with a valid receipt handle, repeated ones included (NumberOfMessagesDeleted)."));
        families.add(counter(samples, DEAD_LETTERED, MESSAGES, sample -> sample.deadLettered,
                "Messages moved to the dead-letter queue after maxReceiveCount receives."));
        families.add(sizes(samples));
        List<CounterDataPointSnapshot> empty = new ArrayList<>();
        emptyReceives.forEach((queue, count) -> empty.add(new CounterDataPointSnapshot(count, Labels.of("queue", queue), null, 0)));
        families.add(new CounterSnapshot(new MetricMetadata(EMPTY_RECEIVES, "ReceiveMessage calls that returned no message "
                + "(NumberOfEmptyReceives). Counted by the node that answered the call: sum over the nodes.", RECEIVES), empty));
        return new MetricSnapshots(families);
    }

    private static GaugeSnapshot gauge(Map<List<String>, QueueSample> samples, String name, Unit unit,
            ToDoubleFunction<QueueSample> value, String help) {
        List<GaugeDataPointSnapshot> points = new ArrayList<>();
        samples.forEach((key, sample) -> points.add(new GaugeDataPointSnapshot(value.applyAsDouble(sample), labels(key), null)));
        return new GaugeSnapshot(new MetricMetadata(name, help + LEADER_ONLY, unit), points);
    }

    private static CounterSnapshot counter(Map<List<String>, QueueSample> samples, String name, Unit unit,
            ToDoubleFunction<QueueSample> value, String help) {
        List<CounterDataPointSnapshot> points = new ArrayList<>();
        samples.forEach((key, sample) -> points.add(new CounterDataPointSnapshot(value.applyAsDouble(sample), labels(key), null, 0)));
        return new CounterSnapshot(new MetricMetadata(name, help + LEADER_ONLY
                + " Counts what this node applied as the group's leader; starts at 0 when the process starts.", unit), points);
    }

    private static HistogramSnapshot sizes(Map<List<String>, QueueSample> samples) {
        List<HistogramDataPointSnapshot> points = new ArrayList<>();
        samples.forEach((key, sample) -> points.add(new HistogramDataPointSnapshot(
                ClassicHistogramBuckets.of(QueueTraffic.SIZE_BOUNDS, sample.sizeBuckets), sample.sentBytes, labels(key),
                Exemplars.EMPTY, 0)));
        return new HistogramSnapshot(new MetricMetadata(SENT_SIZE, "Size of the messages sent (SentMessageSize)."
                + LEADER_ONLY, Unit.BYTES), points);
    }

    private static Labels labels(List<String> key) {
        return Labels.of("queue", key.get(0), "group", key.get(1));
    }
}
