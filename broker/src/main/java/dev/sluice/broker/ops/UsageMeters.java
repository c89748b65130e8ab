package dev.sluice.broker.ops;

import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.service.ClusterUsage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Metered usage as Prometheus counters, {@code sluice_usage_<kind>_total{account="..."}} (e.g.
 * {@code sluice_usage_sqs_requests_total}): the cluster's totals since the first count, read from the replicated
 * counters ({@link ClusterUsage}), so every node shows the same numbers: take the {@code max} over the nodes, never
 * the sum. A scrape answers the last totals read and starts a new read when they are older than
 * {@link #REFRESH_MILLIS}: a scrape shows usage up to that much (plus the previous scrape interval) late. After the first
 * read (every hour there is) a read covers only the previous and the current hour; older hours are settled. At most
 * {@code maxLabelledAccounts} accounts get a label of their own, the rest are summed under
 * {@code account="__overflow__"}. Thread-safe.
 */
public final class UsageMeters implements MultiCollector {
    /** Reads at most once a second (one read in flight at a time), however often /metrics is scraped. */
    static final long REFRESH_MILLIS = 1_000;
    private static final long END_OF_TIME = Long.MAX_VALUE - UsageMeter.HOUR_MILLIS;

    /** Where the totals come from ({@link ClusterUsage#read}). */
    @FunctionalInterface
    public interface Source {
        CompletableFuture<ClusterUsage.Table> read(String account, long fromMillis, long toMillis);
    }

    private final Source source;
    private final InstantSource clock;
    private final QueueLabels accounts;
    private final AtomicBoolean reading = new AtomicBoolean();
    /** Counts of the hours before {@link #settledBefore}, per kind and account; guarded by this. */
    private final Map<UsageKind, Map<String, Long>> settled = new EnumMap<>(UsageKind.class);
    /** The start of the first hour still read again; -1 before the first read; guarded by this. */
    private long settledBefore = -1;
    /** The settled counts plus the latest read of the hours after them; replaced whole, guarded by this. */
    private Map<UsageKind, Map<String, Long>> totals = new EnumMap<>(UsageKind.class);
    private volatile long readAtMillis = Long.MIN_VALUE;

    UsageMeters(Source source, InstantSource clock, int maxLabelledAccounts) {
        this.source = source;
        this.clock = clock;
        this.accounts = new QueueLabels(maxLabelledAccounts, "account");
    }

    /** Registers the usage counters on {@code meters} and starts their first read. */
    public static UsageMeters register(PrometheusMeterRegistry meters, Source source, InstantSource clock,
            int maxLabelledAccounts) {
        UsageMeters registered = new UsageMeters(source, clock, maxLabelledAccounts);
        meters.getPrometheusRegistry().register(registered);
        registered.refresh();
        return registered;
    }

    /** Reads the unsettled hours again (or, the first time, every hour), unless a read is under way. */
    CompletableFuture<Void> refresh() {
        if (!reading.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        long now = clock.millis();
        long newSettledBefore = UsageMeter.hourOf(now) - UsageMeter.HOUR_MILLIS;
        long from;
        synchronized (this) {
            from = settledBefore < 0 ? 0 : settledBefore;
        }
        return source.read(null, from, END_OF_TIME).handle((table, failed) -> {
            try {
                if (failed == null) {
                    apply(table, newSettledBefore);
                    readAtMillis = now;
                }
                return null;
            } finally {
                reading.set(false);
            }
        });
    }

    private synchronized void apply(ClusterUsage.Table table, long newSettledBefore) {
        Map<UsageKind, Map<String, Long>> fresh = copy(settled);
        table.accounts().forEach((account, hours) -> hours.forEach((hour, used) -> used.forEach((kind, amount) -> {
            Map<UsageKind, Map<String, Long>> into = hour < newSettledBefore ? settled : fresh;
            into.computeIfAbsent(kind, ignored -> new TreeMap<>()).merge(account, amount, Long::sum);
            if (hour < newSettledBefore) {
                fresh.computeIfAbsent(kind, ignored -> new TreeMap<>()).merge(account, amount, Long::sum);
            }
        })));
        settledBefore = newSettledBefore;
        totals = fresh;
    }

    private static Map<UsageKind, Map<String, Long>> copy(Map<UsageKind, Map<String, Long>> counts) {
        Map<UsageKind, Map<String, Long>> copy = new EnumMap<>(UsageKind.class);
        counts.forEach((kind, byAccount) -> copy.put(kind, new TreeMap<>(byAccount)));
        return copy;
    }

    @Override
    public MetricSnapshots collect() {
        if (clock.millis() - readAtMillis >= REFRESH_MILLIS) {
            refresh();
        }
        Map<UsageKind, Map<String, Long>> current;
        synchronized (this) {
            current = totals;
        }
        TreeSet<String> names = new TreeSet<>();
        current.values().forEach(byAccount -> names.addAll(byAccount.keySet()));
        accounts.admit(names);
        List<MetricSnapshot> families = new ArrayList<>();
        for (UsageKind kind : UsageKind.values()) {
            SortedMap<String, Long> labelled = new TreeMap<>();
            current.getOrDefault(kind, Map.of()).forEach((account, amount) -> labelled.merge(accounts.of(account), amount, Long::sum));
            List<CounterDataPointSnapshot> points = new ArrayList<>();
            labelled.forEach((account, amount) -> points.add(new CounterDataPointSnapshot(amount, Labels.of("account", account),
                    null, 0)));
            families.add(new CounterSnapshot(new MetricMetadata(familyName(kind), "Metered usage (" + kind.wireName()
                    + ", as GET /v1/usage shows it) of the account, cluster-wide from replicated state: every node shows"
                    + " the same, take the max over the nodes."), points));
        }
        return new MetricSnapshots(families);
    }

    /** {@code sluice_usage_sqs_requests} for SQS_REQUESTS (Prometheus adds {@code _total}). */
    static String familyName(UsageKind kind) {
        return "sluice_usage_" + kind.name().toLowerCase(Locale.ROOT);
    }
}
