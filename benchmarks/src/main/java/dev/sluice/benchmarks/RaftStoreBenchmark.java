package dev.sluice.benchmarks;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.StoreGroups;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.client.GroupClientSettings;
import dev.sluice.raftstore.testing.ProcessCluster;
import dev.sluice.raftstore.testing.StoreNodeMain;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Committed writes per second and commit latency of raft-store, for small catalog puts with fsync
 * on (the only mode raft-store has).
 *
 * <p>Starts 1 or 3 nodes, each in its own JVM ({@link ProcessCluster}, {@link StoreNodeMain}: so
 * on a small machine the replicas compete for cores as they would on one box), and drives them from
 * a {@link GroupClient} in this JVM, as a client outside the cluster would. The group client does
 * the group commit: with {@code --clients C} writes outstanding, up to C of them share one Raft
 * entry. Prints one JSON line (for scripts) and one line for people.
 *
 * <p>This is the composition root of the benchmark: the only place that builds the object graph.
 */
public final class RaftStoreBenchmark {

    /** Data groups besides the catalog group: the nodes need at least one; the benchmark writes the catalog. */
    private static final int DATA_GROUPS = 1;
    private static final Duration FIRST_WRITE_LIMIT = Duration.ofSeconds(60);
    private static final String ENTRY_COMMANDS_METER = "sluice.raft.entry.commands";

    private final RaftBenchOptions options;

    RaftStoreBenchmark(RaftBenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            // Ratis logs every config key and each retried request at INFO.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        RaftBenchOptions options;
        try {
            options = RaftBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RaftStoreBenchmark: " + e.getMessage());
            System.err.print(RaftBenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            RaftBenchReport report = new RaftStoreBenchmark(options).run();
            System.out.println(report.toJson());
            System.out.println(report.toHumanLine());
            // Ratis leaves non-daemon threads behind.
            System.exit(0);
        } catch (Exception | AssertionError e) {
            // ProcessCluster reports a node that does not start with an AssertionError.
            System.err.println("RaftStoreBenchmark failed: " + SqsLoadGenerator.describe(e));
            e.printStackTrace();
            System.exit(1);
        }
    }

    RaftBenchReport run() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        double loadAverageBefore = loadAverage();
        Path runDirectory = options.dataDirectory()
                .resolve("run-" + options.nodes() + "n-" + options.clients() + "c-" + ProcessHandle.current().pid());
        Files.createDirectories(runDirectory);
        RaftStoreConfig defaults = RaftStoreConfig.defaults();
        ProcessCluster cluster = new ProcessCluster(runDirectory, options.nodes(), DATA_GROUPS,
                defaults.snapshotThresholdEntries());
        // A benchmark stopped from outside (timeout, Ctrl-C) must not leave its node JVMs running.
        Thread killNodes = new Thread(() -> {
            try {
                cluster.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "raft-bench-kill-nodes");
        Runtime.getRuntime().addShutdownHook(killNodes);
        boolean succeeded = false;
        try {
            cluster.startAll();
            List<ProcessCpuClock> nodeCpu = nodeCpuClocks(cluster.peers());
            MeterRegistry meters = new SimpleMeterRegistry();
            // The same settings a node gives its own group clients.
            GroupClientSettings settings = defaults.groupClientSettings();
            try (GroupClient group = new GroupClient(StoreGroups.CATALOG, cluster.peers(), settings, meters)) {
                RaftBenchReport report = measure(new Catalog(group), group, meters, nodeCpu, loadAverageBefore,
                        settings.requestTimeout());
                succeeded = true;
                return report;
            }
        } finally {
            if (!succeeded) {
                System.err.println("node logs are kept in " + runDirectory + cluster.logTails());
            }
            cluster.close();
            Runtime.getRuntime().removeShutdownHook(killNodes);
            if (succeeded) {
                deleteRecursively(runDirectory);
            }
        }
    }

    private RaftBenchReport measure(Catalog catalog, GroupClient group, MeterRegistry meters, List<ProcessCpuClock> nodeCpu,
            double loadAverageBefore, Duration requestTimeout)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        awaitFirstWrite(catalog);
        ProcessCpuClock clientCpu = ProcessCpuClock.forPid(ProcessHandle.current().pid());
        MachineCpuClock machineCpu = MachineCpuClock.system();
        DistributionSummary entryCommands = meters.get(ENTRY_COMMANDS_METER).summary();
        CatalogPutLoad load = new CatalogPutLoad(catalog, options.clients(), options.valueBytes());
        load.start();
        Thread.sleep(options.warmup().toMillis());

        List<Long> nodeCpuBefore = readAll(nodeCpu);
        long clientCpuBefore = clientCpu.cpuMillis();
        long machineCpuBefore = machineCpu.busyMillis();
        long entriesBefore = entryCommands.count();
        double commandsBefore = entryCommands.totalAmount();
        long windowStart = System.nanoTime();
        load.enter(LoadPhase.MEASURE);
        Thread.sleep(options.measured().toMillis());
        load.enter(LoadPhase.DRAIN);
        long windowNanos = System.nanoTime() - windowStart;
        List<Long> nodeCpuAfter = readAll(nodeCpu);
        long clientCpuMillis = clientCpu.cpuMillis() - clientCpuBefore;
        long machineBusyMillis = machineCpu.busyMillis() - machineCpuBefore;
        long entries = entryCommands.count() - entriesBefore;
        long commands = Math.round(entryCommands.totalAmount() - commandsBefore);

        // Bounded: a put that never answers times out within the request timeout.
        load.stopped().get(requestTimeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        load.enter(LoadPhase.STOPPED);
        List<Long> nodeCpuMillis = new ArrayList<>();
        for (int i = 0; i < nodeCpu.size(); i++) {
            nodeCpuMillis.add(nodeCpuAfter.get(i) - nodeCpuBefore.get(i));
        }
        String leader = group.lastKnownLeader();
        return new RaftBenchReport(options.nodes(), options.clients(), options.valueBytes(), leader == null ? "" : leader,
                windowNanos / 1e9, load.committedInWindow(), load.latency(), entries, commands, load.errors(),
                nodeCpuMillis, clientCpuMillis, machineBusyMillis, Runtime.getRuntime().availableProcessors(),
                loadAverageBefore, load.firstError());
    }

    /** The first write waits out leader election; the group client retries until its request timeout. */
    private static void awaitFirstWrite(Catalog catalog) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + FIRST_WRITE_LIMIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                catalog.put(CatalogPutLoad.NAMESPACE, "ready", new byte[] {1}).get(FIRST_WRITE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new TimeoutException("no write committed within " + FIRST_WRITE_LIMIT + ": "
                + (last == null ? "no attempt finished" : SqsLoadGenerator.describe(last)));
    }

    /**
     * CPU clocks of the node processes, in peer order. {@link ProcessCluster} does not expose its
     * processes, so they are found among this JVM's children by the node id that follows
     * {@link StoreNodeMain} on their command line.
     */
    private static List<ProcessCpuClock> nodeCpuClocks(List<Peer> peers) throws IOException {
        Map<String, Long> pidsByNode = new HashMap<>();
        ProcessHandle.current().children().forEach(child -> child.info().arguments().ifPresent(arguments -> {
            for (int i = 0; i + 1 < arguments.length; i++) {
                if (arguments[i].equals(StoreNodeMain.class.getName())) {
                    pidsByNode.put(arguments[i + 1], child.pid());
                }
            }
        }));
        List<ProcessCpuClock> clocks = new ArrayList<>();
        for (Peer peer : peers) {
            Long pid = pidsByNode.get(peer.id());
            if (pid == null) {
                throw new IOException("cannot find the process of node " + peer.id() + " among " + pidsByNode);
            }
            clocks.add(ProcessCpuClock.forPid(pid));
        }
        return clocks;
    }

    private static List<Long> readAll(List<ProcessCpuClock> clocks) throws IOException {
        List<Long> millis = new ArrayList<>();
        for (ProcessCpuClock clock : clocks) {
            millis.add(clock.cpuMillis());
        }
        return millis;
    }

    /** The 1-minute load average, to show whether other work was running on the machine. */
    private static double loadAverage() {
        try {
            String text = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII);
            return Double.parseDouble(text.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
