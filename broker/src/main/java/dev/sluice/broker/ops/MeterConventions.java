package dev.sluice.broker.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Map;

/**
 * Keeps {@code /metrics} within Prometheus' conventions whatever registers a meter (ours, or the JVM, Vert.x, Ratis
 * and RocksDB binders): every meter has help text, since some parsers refuse an empty {@code # HELP}; a gauge does
 * not end in {@code _count}; time is in seconds, not {@code _ns}. Configure it on the registry before any binder,
 * since a filter only applies to meters registered after it. Thread-safe.
 */
public final class MeterConventions implements MeterFilter {
    /** Micrometer's {@code ProcessorMetrics} counter in nanoseconds; replaced by {@link #PROCESS_CPU_SECONDS}. */
    private static final String PROCESS_CPU_NANOS = "process.cpu.time";
    private static final String PROCESS_CPU_SECONDS = "process.cpu";
    /** Third-party names Prometheus' lint refuses, and ours instead. */
    private static final Map<String, String> RENAMED = Map.of("system.cpu.count", "system.available.processors");

    private MeterConventions() {
    }

    /** Adds the conventions to {@code registry}, and the process CPU time in seconds. */
    public static void apply(MeterRegistry registry) {
        registry.config().meterFilter(new MeterConventions());
        OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
        if (system instanceof com.sun.management.OperatingSystemMXBean process) {
            FunctionCounter.builder(PROCESS_CPU_SECONDS, process, bean -> bean.getProcessCpuTime() / 1e9)
                    .baseUnit("seconds").description("CPU time used by this process").register(registry);
        }
    }

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        return id.getName().equals(PROCESS_CPU_NANOS) ? MeterFilterReply.DENY
                : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        String name = RENAMED.getOrDefault(id.getName(), id.getName());
        String description = id.getDescription();
        if (description == null || description.isBlank()) {
            // A safety net for a library's meter without help; ours all describe themselves.
            description = "The " + name.replace('.', ' ') + " meter";
        }
        if (name.equals(id.getName()) && description.equals(id.getDescription())) {
            return id;
        }
        return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                description, id.getType());
    }
}
