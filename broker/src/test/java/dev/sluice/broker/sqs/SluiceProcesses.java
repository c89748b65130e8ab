package dev.sluice.broker.sqs;

import dev.sluice.broker.HttpProbe;
import dev.sluice.broker.Main;
import dev.sluice.raftstore.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Sluice servers as child JVMs running {@link Main}, one per node, on fixed free ports so that a
 * node restarts where it was. {@link #kill} is SIGKILL. Data lives under target/ (the server
 * refuses temporary directories); {@link #logTails} helps explain a failure. The JVMs start with the class-data-sharing
 * archive README's "Faster restarts" tells users to make ({@link ClassDataArchive}; {@code -Dsluice.processes.cds=false}
 * for none). {@code -Dsluice.processes.jvmOptions="-Xlog:... -XX:StartFlightRecording..."} adds options to every node's
 * JVM, to profile a start (benchmarks/RESULTS.md, "Restart time"); {@code -Dsluice.processes.keepLogs=true} keeps each
 * node's console log as {@code target/sluice-processes/last-nN.log} when the cluster closes.
 */
public final class SluiceProcesses implements AutoCloseable {
    final Path base = Path.of("target", "sluice-processes", UUID.randomUUID().toString()).toAbsolutePath();
    public final int[] httpPorts;
    final int[] raftPorts;
    private final Process[] processes;
    /** Per node: a command the JVM is started through (e.g. {@code setpriv --regid}), empty for none. */
    private final List<List<String>> launchPrefixes = new ArrayList<>();
    /** Per node: its data directory, unless a fault fixture placed it elsewhere ({@link #placeDataDir}). */
    private final Path[] dataDirs;
    private final List<String> extraArguments;
    /** The nodes the cluster forms with (their ids are its --peers); the rest join later ({@link #startJoining}). */
    private final int initialNodes;
    /** The clock file every node reads its service clock from ({@link #setClock}), or null: the system clock. */
    private Path clockFile;
    /** The JVM and its options every node starts with: made at the first start (it may train the archive). */
    private List<String> javaCommand;

    public SluiceProcesses(int nodes) {
        this(nodes, List.of());
    }

    /** Nodes started with {@code extraArguments} (flags such as {@code --webhook-allowed-networks 127.0.0.1/32}) too. */
    public SluiceProcesses(int nodes, List<String> extraArguments) {
        this(nodes, nodes, extraArguments);
    }

    /** A cluster formed by the first {@code initialNodes} of {@code nodes}; the others can join it later. */
    public SluiceProcesses(int nodes, int initialNodes, List<String> extraArguments) {
        this.initialNodes = initialNodes;
        this.extraArguments = List.copyOf(extraArguments);
        httpPorts = new int[nodes];
        raftPorts = new int[nodes];
        processes = new Process[nodes];
        dataDirs = new Path[nodes];
        for (int i = 0; i < nodes; i++) {
            httpPorts[i] = FreePorts.next();
            raftPorts[i] = FreePorts.next();
            launchPrefixes.add(List.of());
            dataDirs[i] = base.resolve("n" + (i + 1));
        }
    }

    /**
     * Sets the service clock of every node to {@code at} (a {@code simulation.clockFile} all nodes share): the first call,
     * before the nodes start, makes every node start on that file; later calls move the time of the running nodes (and
     * return once every request made afterwards carries it). Raft's elections and timeouts keep the real clock.
     */
    public void setClock(java.time.Instant at) throws IOException, InterruptedException {
        Files.createDirectories(base);
        if (clockFile == null) {
            clockFile = base.resolve("clock");
        }
        dev.sluice.broker.ClockFileWriter.set(clockFile, at);
    }

    /** Node {@code node}'s Raft port (fault fixtures cut it off). */
    public int raftPort(int node) {
        return raftPorts[node];
    }

    /**
     * Starts node {@code node}'s JVM, from its next start on, through {@code prefix} (such as {@code setpriv --regid G
     * --clear-groups}, so that firewall rules can tell its connections from the other nodes').
     */
    public void launchThrough(int node, List<String> prefix) {
        launchPrefixes.set(node, List.copyOf(prefix));
    }

    /** Keeps node {@code node}'s data in {@code dir} from its next start on (a filesystem of its own, say). */
    public void placeDataDir(int node, Path dir) {
        dataDirs[node] = dir;
    }

    /** The process id of running node {@code node}. */
    public long pid(int node) {
        if (!running(node)) {
            throw new IllegalStateException("n" + (node + 1) + " is not running");
        }
        return processes[node].pid();
    }

    /** The CPU time running node {@code node}'s JVM has used since it started, or -1 where the OS does not tell. */
    public long cpuMillis(int node) {
        return processes[node].info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    }

    /**
     * Where running node {@code node}'s CPU went so far: its threads' user + system time (Linux /proc, 10 ms ticks)
     * summed by thread name with digits folded ({@code grpc-default-worker-ELG-3-1} counts as
     * {@code grpc-default-worker-ELG-N-N}; the JIT's C1 and C2 threads apart), the {@code top} largest as "name ms" joined by commas; empty where /proc is
     * unreadable. Threads that already ended are not counted.
     */
    public String cpuByThread(int node, int top) {
        java.util.Map<String, Long> byName = new java.util.HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid(node)), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    name = name.startsWith("C1 ") || name.startsWith("C2 ") ? name : name.replaceAll("[0-9]+", "N");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10, Long::sum);
                } catch (IOException | RuntimeException ended) {
                    // the thread ended while listed
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return "";
        }
        return byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", "));
    }

    String peers() {
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < initialNodes; i++) {
            peers.add(peer(i));
        }
        return String.join(",", peers);
    }

    private String peer(int node) {
        return "n" + (node + 1) + "=127.0.0.1:" + raftPorts[node];
    }

    /** Node {@code node}'s Raft address, as an operator names it when adding the node. */
    public String raftAddress(int node) {
        return "127.0.0.1:" + raftPorts[node];
    }

    /**
     * Starts node {@code node} empty with {@code --join true}: it waits until an operator adds it
     * ({@code POST /v1/cluster/nodes}), or, one of the initial nodes {@link #wipe}d and replaced
     * ({@code POST /v1/cluster/nodes/{id}/replace}), until the cluster re-adds it.
     */
    public void startJoining(int node) throws IOException {
        start(node, List.of("--join", "true", "--peers", node < initialNodes ? peers() : peers() + "," + peer(node)));
    }

    /** Node {@code node}'s id: n1, n2, ... */
    public String nodeId(int node) {
        return "n" + (node + 1);
    }

    /** Deletes the data directory of node {@code node}, which must not run: its disk was lost. */
    public void wipe(int node) throws IOException {
        if (running(node)) {
            throw new IllegalStateException(nodeId(node) + " runs; kill it first");
        }
        Path dataDir = base.resolve(nodeId(node));
        if (Files.exists(dataDir)) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    public void start(int node) throws IOException {
        start(node, httpPorts.length > 1 ? List.of("--peers", peers()) : List.of());
    }

    private void start(int node, List<String> clusterArguments) throws IOException {
        Files.createDirectories(base);
        List<String> command = new ArrayList<>(launchPrefixes.get(node));
        command.addAll(javaCommand());
        command.addAll(List.of(Main.class.getName(), "--node-id", "n" + (node + 1), "--port", String.valueOf(httpPorts[node]),
                "--raft-port", String.valueOf(raftPorts[node]), "--data-dir", dataDirs[node].toString(),
                // The checkout, and so target/, may itself live under /tmp on a CI machine.
                "--allow-temporary-storage", "true"));
        command.addAll(clusterArguments);
        if (clockFile != null) {
            command.addAll(List.of("--simulation-clock-file", clockFile.toString()));
        }
        command.addAll(extraArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("n" + (node + 1) + ".log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("SLUICE_"));
        processes[node] = builder.start();
    }

    /** The {@code java} launcher of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java}, its options and the class path, up to the main class. */
    private List<String> javaCommand() throws IOException {
        if (javaCommand == null) {
            List<String> command = new ArrayList<>(List.of(java(), "-Xmx384m", "-XX:+UseSerialGC"));
            String classPath = System.getProperty("java.class.path");
            if (ClassDataArchive.ENABLED) {
                try {
                    ClassDataArchive archive = ClassDataArchive.forClassPath(
                            Path.of("target", "class-data-sharing").toAbsolutePath(), classPath);
                    command.addAll(archive.jvmOptions());
                    classPath = archive.classPath();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while making the class-data-sharing archive", interrupted);
                }
            }
            String profiling = System.getProperty("sluice.processes.jvmOptions", "").trim();
            if (!profiling.isEmpty()) {
                command.addAll(List.of(profiling.split("\\s+")));
            }
            command.addAll(List.of("-cp", classPath));
            javaCommand = List.copyOf(command);
        }
        return javaCommand;
    }

    /** Starts the initial nodes and waits until each is healthy. */
    public void startAll() throws Exception {
        // A JVM start takes 5 s on a quiet machine, but over a minute with two cores shared by several builds.
        startAll(Duration.ofSeconds(120));
    }

    /**
     * Starts the initial nodes, then waits up to {@code bound} for each to be healthy (many groups and JVMs start slowly
     * on a shared machine); a node that does not start fails with every node's log tail.
     */
    public void startAll(Duration bound) throws Exception {
        try {
            for (int node = 0; node < initialNodes; node++) {
                start(node);
            }
            for (int node = 0; node < initialNodes; node++) {
                awaitHealthy(node, bound);
            }
        } catch (Exception | AssertionError failure) {
            throw new AssertionError("cluster did not start" + logTails(), failure);
        }
    }

    public void awaitHealthy(int node) throws Exception {
        // A JVM start takes 5 s on a quiet machine, but over a minute with two cores shared by several builds.
        awaitHealthy(node, Duration.ofSeconds(120));
    }

    /** Waits until node {@code node} answers /health with 200 (every group it hosts has a leader), up to {@code bound}. */
    public void awaitHealthy(int node, Duration bound) throws Exception {
        new HttpProbe(httpPorts[node]).awaitStatus("/health", 200, bound);
    }

    /** The index of the node leading data group 0, as {@code askNode}'s /health sees it (bounded wait). */
    int leaderOfQueueGroup(int askNode) throws Exception {
        return leaderOf("data-0", askNode);
    }

    /**
     * The index of the node leading Raft group {@code group} ({@code data-N} or {@code catalog}), as {@code askNode}'s
     * /health sees it: waits up to 30 s for a leader (during an election there is none).
     * A leader another node has already replaced may be named for up to an election timeout after a kill.
     */
    public int leaderOf(String group, int askNode) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String leader = null;
            try {
                // A 503 (some group without a leader) still names the leaders there are.
                var groups = new io.vertx.core.json.JsonObject(new HttpProbe(httpPorts[askNode]).get("/health").body())
                        .getJsonObject("groups");
                leader = groups.containsKey(group) ? groups.getJsonObject(group).getString("leader") : null;
            } catch (IOException | io.vertx.core.json.DecodeException notAnsweringYet) {
                // starting or stopping: ask again
            }
            if (leader != null && !leader.isEmpty()) {
                return Integer.parseInt(leader.substring(1)) - 1;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no leader for " + group + " seen from n" + (askNode + 1));
    }

    /** Whether node {@code node}'s process was started and not killed since. */
    public boolean running(int node) {
        return processes[node] != null && processes[node].isAlive();
    }

    /** Freezes node {@code node} with SIGSTOP: its sockets stay open but it answers nothing (a stand-in for a partition). */
    public void pause(int node) throws IOException, InterruptedException {
        signal(node, "-STOP");
    }

    /** Thaws a node {@link #pause}d before (SIGCONT). */
    public void resume(int node) throws IOException, InterruptedException {
        signal(node, "-CONT");
    }

    private void signal(int node, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(processes[node].pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill " + signal + " of n" + (node + 1) + " failed");
        }
    }

    /** Node {@code node}'s console log (stdout and stderr, across restarts). */
    public Path logFile(int node) {
        return base.resolve("n" + (node + 1) + ".log");
    }

    public void kill(int node) throws InterruptedException {
        Process process = processes[node];
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            processes[node] = null;
        }
    }

    public String logTails() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < httpPorts.length; i++) {
            Path log = base.resolve("n" + (i + 1) + ".log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                out.append("\n--- n").append(i + 1).append(" ---\n").append(lines.subList(Math.max(0, lines.size() - 30),
                        lines.size()).stream().collect(Collectors.joining("\n")));
            } catch (IOException e) {
                out.append(e);
            }
        }
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        for (int i = 0; i < processes.length; i++) {
            kill(i);
        }
        if (Boolean.getBoolean("sluice.processes.keepLogs")) {
            for (int i = 0; i < processes.length; i++) {
                Path log = logFile(i);
                if (Files.exists(log)) {
                    Files.copy(log, Path.of("target", "sluice-processes", "last-n" + (i + 1) + ".log"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (Files.exists(base)) {
            try (Stream<Path> paths = Files.walk(base)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
