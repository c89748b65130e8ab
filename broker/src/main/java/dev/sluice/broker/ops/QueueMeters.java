package dev.sluice.broker.ops;

import dev.sluice.broker.core.QueueActivity;
import dev.sluice.broker.core.QueueCommandType;
import dev.sluice.broker.core.QueueDepth;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.StoreGroups;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-queue meters of {@code /metrics}, with CloudWatch's meanings (see {@link QueueSample} for the names). A
 * queue's meters come from the node that leads its data group, computed at each scrape: backlog gauges from that
 * leader's in-memory index, counts from {@link QueueTraffic}. A follower exports none of a group's queues, so summing
 * over the nodes counts each queue once; the series carry {@code queue} and {@code group} (a partitioned queue has one
 * series per partition's group: {@code sum by (queue)} for the whole queue). Empty receives are the exception: see
 * {@link EmptyReceives}. At most {@code maxLabelledQueues} names are labelled per node ({@link QueueLabels}).
 * Thread-safe.
 */
public final class QueueMeters implements MultiCollector {
    static final String COMMANDS = "sluice_queue_commands";
    private final Map<Integer, QueueTraffic> traffic = new ConcurrentHashMap<>();
    private final EmptyReceives emptyReceives = new EmptyReceives();
    private final QueueLabels labels;
    private final InstantSource clock;
    private volatile RaftStoreNode node;

    public QueueMeters(int maxLabelledQueues, InstantSource clock) {
        this.labels = new QueueLabels(maxLabelledQueues, "queue");
        this.clock = clock;
    }

    /** Where data group {@code group}'s engine on this node reports the traffic of the entries it proposed. */
    public QueueActivity activity(int group) {
        return traffic.computeIfAbsent(group, index -> new QueueTraffic());
    }

    /** {@code client}, with its empty receives counted (wrap the clients of every edge: SQS, REST, notify, bridge). */
    public QueueClient countingEmptyReceives(QueueClient client) {
        return emptyReceives.counting(client);
    }

    /** As {@link #countingEmptyReceives(QueueClient)}, telling {@code alsoTell} each empty receive's queue URL (metering). */
    public QueueClient countingEmptyReceives(QueueClient client, java.util.function.Consumer<String> alsoTell) {
        return emptyReceives.counting(client, alsoTell);
    }

    /** Adds the meters to {@code registry}'s scrape; call once the node runs. */
    public void register(PrometheusMeterRegistry registry, RaftStoreNode started) {
        this.node = started;
        registry.getPrometheusRegistry().register(this);
    }

    @Override
    public MetricSnapshots collect() {
        RaftStoreNode current = node;
        List<Led> led = current == null ? List.of() : ledQueues(current);
        SortedSet<String> names = new TreeSet<>(emptyReceives.counts().keySet());
        led.forEach(queue -> names.add(queue.depth().queue()));
        labels.admit(names);
        Map<List<String>, QueueSample> samples = new TreeMap<>(QueueMeters::compareKeys);
        for (Led queue : led) {
            samples.computeIfAbsent(List.of(labels.of(queue.depth().queue()), queue.group()), key -> new QueueSample())
                    .add(queue.depth(), queue.traffic());
        }
        Map<String, Long> empty = new TreeMap<>();
        // The queues this node leads show 0 rather than no series: a rate over them then reads 0, not "no data".
        led.forEach(queue -> empty.put(labels.of(queue.depth().queue()), 0L));
        for (Map.Entry<String, AtomicLong> count : emptyReceives.counts().entrySet()) {
            empty.merge(labels.of(count.getKey()), count.getValue().get(), Long::sum);
        }
        List<io.prometheus.metrics.model.snapshots.MetricSnapshot> families = new ArrayList<>();
        QueueSample.snapshots(samples, empty).forEach(families::add);
        families.add(commands());
        return new MetricSnapshots(families);
    }

    /**
     * The commands each data group applied, by type, counted by the node that proposed them as the group's leader
     * (sum over the nodes): what a kind of traffic costs in log commands (one SNS publish's fanout, say).
     */
    private CounterSnapshot commands() {
        List<CounterDataPointSnapshot> points = new ArrayList<>();
        new TreeMap<>(traffic).forEach((group, counted) -> {
            for (QueueCommandType type : QueueCommandType.values()) {
                long count = counted.commands(type);
                if (count > 0) {
                    points.add(new CounterDataPointSnapshot(count, Labels.of("group", StoreGroups.dataGroupName(group),
                            "type", type.name().toLowerCase(java.util.Locale.ROOT)), null, 0));
                }
            }
        });
        return new CounterSnapshot(new MetricMetadata(COMMANDS, "Queue commands applied, by type, counted by the node "
                + "that proposed them as the data group's leader (sum over the nodes); starts at 0 when the process starts."),
                points);
    }

    /** One queue of a group this node leads, with what this node counted of it (null: nothing yet). */
    private record Led(String group, QueueDepth depth, QueueTraffic.Tally traffic) {
    }

    private List<Led> ledQueues(RaftStoreNode current) {
        List<Led> led = new ArrayList<>();
        for (int group = 0; group < current.dataGroupCount(); group++) {
            if (!current.isLeader(group) || !(current.localEngine(group) instanceof QueueEngine engine)) {
                continue;
            }
            QueueTraffic counted = traffic.computeIfAbsent(group, index -> new QueueTraffic());
            long now = clock.millis();
            // Under the engine's read lock, so no apply creates a queue between the listing and the pruning.
            List<QueueDepth> depths = engine.read(book -> {
                List<QueueDepth> all = book.depths(now);
                counted.retainOnly(all.stream().map(QueueDepth::queue).collect(java.util.stream.Collectors.toSet()));
                return all;
            });
            String name = StoreGroups.dataGroupName(group);
            depths.forEach(depth -> led.add(new Led(name, depth, counted.of(depth.queue()))));
        }
        return led;
    }

    private static int compareKeys(List<String> left, List<String> right) {
        int byQueue = left.get(0).compareTo(right.get(0));
        return byQueue != 0 ? byQueue : left.get(1).compareTo(right.get(1));
    }
}
