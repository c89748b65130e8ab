package dev.sluice.faasbridge.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one event source mapping on this bridge, tagged {@code function} and {@code queue} (its function's and
 * source queue's names, see {@link FunctionLabels.Label}; both {@code __overflow__} for the mappings beyond the label
 * bound), never the mapping's UUID: invocations, failed invocations, partially failed batches, records deleted by the
 * filter, batch sizes, pollers and invocations in flight, the iterator age (how long the oldest record of a batch waited
 * in the queue before the invocation), the age of the oldest message in the source queue as its pollers last saw it (the
 * largest over the mappings sharing the labels: the overflow's), invocation durations and throttled invocations (the
 * function had no concurrency left: Lambda's {@code TooManyRequestsException}). Shared by the mappings with the same
 * labels; removed from the registry when the last of them stops on this bridge. Thread-safe.
 */
final class BridgeMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final FunctionLabels.Label label;
    /** The mappings using these meters; the supervisor closes them when the last one leaves. */
    private final Set<String> mappings = ConcurrentHashMap.newKeySet();
    /** Per mapping: age in milliseconds of the oldest message its last receive found, 0 after an empty one. */
    private final Map<String, AtomicLong> sourceAges = new ConcurrentHashMap<>();
    final Counter invocations;
    final Counter errors;
    final Counter partialFailures;
    final Counter filtered;
    final Counter deleteFailures;
    final DistributionSummary batchSize;
    final Timer iteratorAge;
    final Timer duration;
    final Counter throttles;
    final AtomicInteger pollers = new AtomicInteger();
    final AtomicInteger concurrency = new AtomicInteger();
    private final Gauge pollersGauge;
    private final Gauge concurrencyGauge;
    private final Gauge sourceAgeGauge;

    BridgeMetrics(MeterRegistry registry, FunctionLabels.Label label) {
        this.registry = registry;
        this.label = label;
        Tags tags = Tags.of("function", label.function(), "queue", label.queue());
        invocations = Counter.builder("sluice.bridge.invocations").tags(tags).description("Function invocations").register(registry);
        errors = Counter.builder("sluice.bridge.invocation.errors").tags(tags)
                .description("Invocations that failed as a whole (error, timeout, unreadable partial response)").register(registry);
        partialFailures = Counter.builder("sluice.bridge.partial.failures").tags(tags)
                .description("Invocations that reported some records failed (batchItemFailures)").register(registry);
        filtered = Counter.builder("sluice.bridge.filtered.records").tags(tags)
                .description("Records deleted without an invocation because no filter matched").register(registry);
        deleteFailures = Counter.builder("sluice.bridge.delete.failures").tags(tags)
                .description("Processed records whose delete failed every attempt (they will be delivered again)").register(registry);
        batchSize = DistributionSummary.builder("sluice.bridge.batch.size").tags(tags).description("Records a batch")
                .register(registry);
        iteratorAge = Timer.builder("sluice.bridge.iterator.age").tags(tags)
                .description("Time the oldest record of a batch waited in the queue before the invocation").register(registry);
        // Buckets from a quick in-process handler to Lambda's 15-minute timeout, so a dashboard can take quantiles.
        duration = Timer.builder("sluice.bridge.invocation.duration").tags(tags)
                .serviceLevelObjectives(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(50),
                        java.time.Duration.ofMillis(100), java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(1),
                        java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(60),
                        java.time.Duration.ofSeconds(300), java.time.Duration.ofSeconds(900))
                .description("Time from invoking the function with a batch to its answer (or failure)").register(registry);
        throttles = Counter.builder("sluice.bridge.throttles").tags(tags)
                .description("Invocations refused because the function had no concurrency left (TooManyRequestsException); "
                        + "their records are received again later").register(registry);
        pollersGauge = Gauge.builder("sluice.bridge.pollers", pollers, AtomicInteger::get).tags(tags)
                .description("Pollers running").register(registry);
        concurrencyGauge = Gauge.builder("sluice.bridge.concurrency", concurrency, AtomicInteger::get).tags(tags)
                .description("Invocations in flight").register(registry);
        sourceAgeGauge = Gauge.builder("sluice.bridge.source.oldest.message.age", this, meters -> meters.sourceAgeMillis() / 1000.0)
                .tags(tags).baseUnit("seconds")
                .description("Age of the oldest message in the mapping's source queue as its pollers on this bridge "
                        + "last received (0 when a receive found the queue empty): a growing value is a backlog the "
                        + "function does not keep up with").register(registry);
    }

    FunctionLabels.Label label() {
        return label;
    }

    void use(String mappingUuid) {
        mappings.add(mappingUuid);
        sourceAges.computeIfAbsent(mappingUuid, uuid -> new AtomicLong());
    }

    /** True when no mapping uses these meters any longer. */
    boolean release(String mappingUuid) {
        mappings.remove(mappingUuid);
        sourceAges.remove(mappingUuid);
        return mappings.isEmpty();
    }

    void recordIteratorAge(long millis) {
        iteratorAge.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    /** The largest age of the oldest message its mappings' last receives found, in milliseconds. */
    long sourceAgeMillis() {
        return sourceAges.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
    }

    /** What a receive of {@code mappingUuid} found: the age of its oldest message, 0 for an empty receive. */
    void recordSourceAge(String mappingUuid, long millis) {
        AtomicLong age = sourceAges.get(mappingUuid);
        if (age != null) {
            age.set(Math.max(0, millis));
        }
    }

    @Override
    public void close() {
        for (var meter : new io.micrometer.core.instrument.Meter[] {invocations, errors, partialFailures, filtered,
                deleteFailures, batchSize, iteratorAge, duration, throttles, pollersGauge, concurrencyGauge, sourceAgeGauge}) {
            registry.remove(meter);
        }
    }
}
