package dev.sluice.faasbridge.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one mapping on this bridge, tagged {@code mapping} (UUID) and {@code function}:
 * invocations, failed invocations, partially failed batches, records deleted by the filter, batch
 * sizes, pollers and invocations in flight, the iterator age (how long the oldest record of a batch
 * waited in the queue before the invocation), invocation durations and throttled invocations (the function had no
 * concurrency left: Lambda's {@code TooManyRequestsException}). Shared by the successive workers of one mapping (the
 * gauges sum theirs); removed from the registry when the mapping stops on this bridge.
 */
final class BridgeMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final String functionName;
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

    BridgeMetrics(MeterRegistry registry, String mappingUuid, String functionName) {
        this.registry = registry;
        this.functionName = functionName;
        Tags tags = Tags.of("mapping", mappingUuid, "function", functionName);
        invocations = Counter.builder("sluice.bridge.invocations").tags(tags).description("Function invocations").register(registry);
        errors = Counter.builder("sluice.bridge.invocation.errors").tags(tags)
                .description("Invocations that failed as a whole (error, timeout, unreadable partial response)").register(registry);
        partialFailures = Counter.builder("sluice.bridge.partial.failures").tags(tags)
                .description("Invocations that reported some records failed").register(registry);
        filtered = Counter.builder("sluice.bridge.filtered.records").tags(tags)
                .description("Records deleted without an invocation because no filter matched").register(registry);
        deleteFailures = Counter.builder("sluice.bridge.delete.failures").tags(tags)
                .description("Processed records whose delete failed every attempt (they will be delivered again)").register(registry);
        batchSize = DistributionSummary.builder("sluice.bridge.batch.size").tags(tags).description("Records a batch")
                .register(registry);
        iteratorAge = Timer.builder("sluice.bridge.iterator.age").tags(tags)
                .description("Time the oldest record of a batch waited in the queue before the invocation").register(registry);
        duration = Timer.builder("sluice.bridge.invocation.duration").tags(tags)
                .description("Time from invoking the function with a batch to its answer (or failure)").register(registry);
        throttles = Counter.builder("sluice.bridge.throttles").tags(tags)
                .description("Invocations refused because the function had no concurrency left (TooManyRequestsException); "
                        + "their records are received again later").register(registry);
        pollersGauge = Gauge.builder("sluice.bridge.pollers", pollers, AtomicInteger::get).tags(tags)
                .description("Pollers running").register(registry);
        concurrencyGauge = Gauge.builder("sluice.bridge.concurrency", concurrency, AtomicInteger::get).tags(tags)
                .description("Invocations in flight").register(registry);
    }

    String functionName() {
        return functionName;
    }

    void recordIteratorAge(long millis) {
        iteratorAge.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        for (var meter : new io.micrometer.core.instrument.Meter[] {invocations, errors, partialFailures, filtered,
                deleteFailures, batchSize, iteratorAge, duration, throttles, pollersGauge, concurrencyGauge}) {
            registry.remove(meter);
        }
    }
}
