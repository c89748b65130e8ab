package dev.sluice.faasbridge.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.faasbridge.core.ConcurrencyShare;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.RecordFilter;
import dev.sluice.faasbridge.store.DefinitionStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link MappingWorker} running for each enabled mapping whose function exists, re-reading the
 * store every refresh interval and whenever this bridge's API changed something. A mapping or function
 * that changed gets a fresh worker (the old one finishes its batches in flight). Reconciling runs on the
 * scheduler, one pass at a time.
 */
final class MappingSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(MappingSupervisor.class);

    private final DefinitionStore store;
    private final QueueClient queues;
    private final FunctionInvoker httpInvoker;
    private final FunctionInvoker javaInvoker;
    private final BridgeSettings settings;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry meters;
    private final InstantSource clock;
    private final Map<String, MappingWorker> workers = new HashMap<>();
    private final Map<String, AsyncPermits> functionPermits = new HashMap<>();
    /**
     * Meters by (function, queue) label, kept across the workers that replace each other when a mapping changes (a meter
     * id can be registered once) and shared by the mappings with one label (the overflow's); removed when the last of
     * them stops here.
     */
    private final Map<FunctionLabels.Label, BridgeMetrics> metrics = new HashMap<>();
    /** The meters each running mapping uses. */
    private final Map<String, BridgeMetrics> metricsOfMapping = new HashMap<>();
    private final FunctionLabels labels;
    /** Each mapping's recent problems on this bridge, kept while the mapping exists (also while it is disabled). */
    private final Map<String, RecentErrors> recentErrors = new java.util.concurrent.ConcurrentHashMap<>();
    /** This bridge's id among the bridges that split each mapping's MaximumConcurrency. */
    private final String bridgeId = java.util.UUID.randomUUID().toString();
    /** When this bridge's heartbeats began (-1: it writes none) and when it last wrote one; passes only, one at a time. */
    private volatile long heartbeatSince = -1;
    private volatile long lastHeartbeat = -1;
    /** 0 idle, 1 a pass running, 2 a pass running and another requested. */
    private final AtomicInteger passes = new AtomicInteger();
    private volatile boolean closed;
    /** How the workers' invocations are billed. */
    private final InvocationMeter invocations;

    MappingSupervisor(DefinitionStore store, QueueClient queues, FunctionInvoker httpInvoker, FunctionInvoker javaInvoker,
            BridgeSettings settings, ScheduledExecutorService scheduler, MeterRegistry meters, InstantSource clock,
            InvocationMeter invocations) {
        this.invocations = invocations;
        this.store = store;
        this.queues = queues;
        this.httpInvoker = httpInvoker;
        this.javaInvoker = javaInvoker;
        this.settings = settings;
        this.scheduler = scheduler;
        this.meters = meters;
        this.clock = clock;
        this.labels = new FunctionLabels(settings.maxLabelledFunctions());
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::refresh, 0, settings.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Requests a reconcile pass; passes never overlap, and requests during a pass cause one more. */
    void refresh() {
        if (passes.getAndUpdate(value -> Math.min(2, value + 1)) > 0) {
            return;
        }
        runPass();
    }

    private void runPass() {
        if (closed) {
            passes.set(0);
            return;
        }
        store.functions().thenCombine(store.mappings(), Definitions::new).thenCompose(definitions ->
                liveBridges(definitions.mappings()).thenAccept(live ->
                        reconcile(definitions.functions(), definitions.mappings(), live))
        ).whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.warn("reading functions and mappings failed; keeping the pollers as they are: {}", error.toString());
            }
            if (passes.decrementAndGet() > 0) {
                scheduler.execute(this::runPass);
            }
        });
    }

    private record Definitions(List<FunctionDefinition> functions, List<EventSourceMapping> mappings) {
    }

    /**
     * The bridges splitting MaximumConcurrency values, or null while this bridge has just begun to say it is alive (the
     * others may not have yet). Only bridges running a mapping with a MaximumConcurrency need to know each other, so
     * only they write heartbeats to the store, and only every third of the time-to-live: every heartbeat is a
     * replicated, fsynced log entry, and an idle cluster should append none (issue 17).
     */
    private CompletableFuture<List<String>> liveBridges(List<EventSourceMapping> mappings) {
        boolean splitting = mappings.stream().anyMatch(mapping -> mapping.enabled() && mapping.maximumConcurrency() != null);
        long now = clock.millis();
        if (!splitting) {
            if (heartbeatSince < 0) {
                return CompletableFuture.completedFuture(List.of());
            }
            heartbeatSince = -1;
            lastHeartbeat = -1;
            return store.forgetBridge(bridgeId).handle((ignored, error) -> List.of());
        }
        boolean due = lastHeartbeat < 0 || now - lastHeartbeat >= bridgeTtlMillis() / 3;
        CompletableFuture<Void> beat = due ? store.heartbeat(bridgeId, now) : CompletableFuture.completedFuture(null);
        return beat.thenCompose(ignored -> {
            if (due) {
                lastHeartbeat = now;
                if (heartbeatSince < 0) {
                    heartbeatSince = now;
                }
            }
            if (now - heartbeatSince < settings.refreshInterval().toMillis()) {
                // The other bridges begin at their own next pass: until then none of them counts, so hold back.
                return CompletableFuture.completedFuture((List<String>) null);
            }
            return store.liveBridges(now, bridgeTtlMillis());
        }).exceptionally(error -> {
            LOG.debug("bridge heartbeat failed; this bridge takes whole MaximumConcurrency values: {}", error.toString());
            return List.of();
        });
    }

    /** A bridge not heard from for five refresh intervals (at least 10 s) no longer counts. */
    private long bridgeTtlMillis() {
        return Math.max(10_000, 5 * settings.refreshInterval().toMillis());
    }

    /** This bridge's share of a mapping's concurrency among the live bridges; the bridge's own bound without a MaximumConcurrency. */
    private int share(EventSourceMapping mapping, List<String> liveBridges) {
        if (mapping.maximumConcurrency() == null) {
            return settings.defaultMaxConcurrency();
        }
        List<String> live = liveBridges;
        if (!live.contains(bridgeId)) {
            live = new java.util.ArrayList<>(liveBridges);
            live.add(bridgeId);
            java.util.Collections.sort(live);
        }
        return ConcurrencyShare.of(mapping.maximumConcurrency(), live, bridgeId);
    }

    /** {@code liveBridges}: null while this bridge cannot yet know the others (see {@link #liveBridges(List)}). */
    private synchronized void reconcile(List<FunctionDefinition> functions, List<EventSourceMapping> mappings,
            List<String> liveBridges) {
        if (closed) {
            return;
        }
        Map<String, FunctionDefinition> byName = new HashMap<>();
        functions.forEach(function -> byName.put(function.name(), function));
        Set<String> wanted = new HashSet<>();
        Set<String> existing = new HashSet<>();
        mappings.forEach(mapping -> existing.add(mapping.uuid()));
        recentErrors.keySet().retainAll(existing);
        for (EventSourceMapping mapping : mappings) {
            FunctionDefinition function = byName.get(mapping.functionName());
            if (!mapping.enabled() || function == null) {
                continue;
            }
            wanted.add(mapping.uuid());
            if (liveBridges == null && mapping.maximumConcurrency() != null) {
                continue; // its share is known from the next pass on; a worker already running keeps its limit
            }
            MappingWorker current = workers.get(mapping.uuid());
            int share = share(mapping, liveBridges);
            if (current != null && current.mapping().equals(mapping) && current.function().equals(function)) {
                current.limitPollers(share);
                continue;
            }
            if (current != null) {
                current.stop();
            }
            MappingWorker worker = new MappingWorker(mapping, function, queues, function.isHttp() ? httpInvoker : javaInvoker,
                    permitsFor(function), RecordFilter.compile(mapping.filterPatterns())::matches, share, settings, scheduler,
                    metricsFor(mapping, function.name()), recentErrors(mapping.uuid()), clock, invocations);
            workers.put(mapping.uuid(), worker);
            worker.start();
        }
        workers.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().stop();
            releaseMetrics(entry.getKey());
            return true;
        });
    }

    /** The meters of {@code mapping}, of function {@code functionName} (an update may have moved it to another function). */
    private BridgeMetrics metricsFor(EventSourceMapping mapping, String functionName) {
        String uuid = mapping.uuid();
        FunctionLabels.Label label = labels.of(functionName, mapping.eventSourceArn().queueName());
        BridgeMetrics current = metricsOfMapping.get(uuid);
        if (current != null && current.label().equals(label)) {
            return current;
        }
        releaseMetrics(uuid);
        BridgeMetrics shared = metrics.computeIfAbsent(label, key -> new BridgeMetrics(meters, key));
        shared.use(uuid);
        metricsOfMapping.put(uuid, shared);
        return shared;
    }

    /** The mapping no longer uses its meters here; the last mapping with their labels takes them (and the labels) away. */
    private void releaseMetrics(String uuid) {
        BridgeMetrics used = metricsOfMapping.remove(uuid);
        if (used != null && used.release(uuid)) {
            metrics.remove(used.label());
            labels.release(used.label());
            used.close();
        }
    }

    private RecentErrors recentErrors(String uuid) {
        return recentErrors.computeIfAbsent(uuid, ignored -> new RecentErrors());
    }

    /** The mapping's recent problems on this bridge (empty when none, or when it never ran here). */
    RecentErrors recentErrorsOf(String uuid) {
        return recentErrors.getOrDefault(uuid, new RecentErrors());
    }

    /**
     * What this bridge's pollers did: the meters' numbers per function label (the sum over its source queues, as
     * {@code sum by (function)} would), and every mapping's recent problems.
     */
    synchronized BridgeActivity activity() {
        java.util.SortedMap<String, BridgeActivity.FunctionNumbers> functions = new java.util.TreeMap<>();
        metrics.forEach((label, meters) -> functions.merge(label.function(), new BridgeActivity.FunctionNumbers(
                meters.concurrency.get(), (long) meters.invocations.count(), (long) meters.errors.count(),
                (long) meters.throttles.count(), (long) meters.partialFailures.count(), meters.sourceAgeMillis()),
                BridgeActivity.FunctionNumbers::plus));
        List<BridgeActivity.MappingError> problems = new java.util.ArrayList<>();
        recentErrors.forEach((uuid, errors) -> errors.entries().forEach(entry ->
                problems.add(new BridgeActivity.MappingError(uuid, entry.at(), entry.message()))));
        return new BridgeActivity(functions, problems);
    }

    /** The reserved-concurrency permits of a function, shared by its mappings and its direct invocations; null without a limit. */
    synchronized AsyncPermits permitsFor(FunctionDefinition function) {
        if (function.reservedConcurrency() == null) {
            functionPermits.remove(function.name());
            return null;
        }
        String key = function.name() + "@" + function.lastModifiedMillis();
        functionPermits.keySet().removeIf(existing -> existing.startsWith(function.name() + "@") && !existing.equals(key));
        return functionPermits.computeIfAbsent(key, ignored -> new AsyncPermits(function.reservedConcurrency()));
    }

    synchronized int pollers(String mappingUuid) {
        MappingWorker worker = workers.get(mappingUuid);
        return worker == null ? 0 : worker.pollers();
    }

    /** Stops every worker; completes when their batches in flight are settled or the stop grace passed. */
    CompletableFuture<Void> close() {
        List<CompletableFuture<Void>> stopping;
        synchronized (this) {
            closed = true;
            stopping = workers.values().stream().map(MappingWorker::stop).toList();
            workers.clear();
            metrics.values().forEach(BridgeMetrics::close);
            metrics.clear();
            metricsOfMapping.clear();
        }
        CompletableFuture<Void> forgotten = store.forgetBridge(bridgeId).exceptionally(error -> null);
        return CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).thenCombine(forgotten, (a, b) -> null);
    }
}
