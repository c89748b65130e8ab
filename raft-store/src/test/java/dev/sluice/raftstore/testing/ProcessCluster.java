package dev.sluice.raftstore.testing;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.client.GroupClientSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * raft-store nodes as separate JVM processes on loopback, so that a crash is a real SIGKILL
 * ({@link Process#destroyForcibly()}) with whatever the OS had not yet written lost. Node logs go
 * to {@code <base>/<id>.log}; {@link #logTails()} shows them when a test fails.
 */
public final class ProcessCluster implements AutoCloseable {
    private final Path baseDirectory;
    private final List<Peer> peers = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final int dataGroups;
    private final long snapshotThresholdEntries;
    /** Launches per node: a node is ready when its log holds that many READY lines (logs append across restarts). */
    private final int[] launches;
    private int featureLevel = dev.sluice.raftstore.FeatureLevel.CURRENT;

    public ProcessCluster(Path baseDirectory, int nodes, int dataGroups, long snapshotThresholdEntries) {
        this.baseDirectory = baseDirectory;
        this.dataGroups = dataGroups;
        this.snapshotThresholdEntries = snapshotThresholdEntries;
        this.launches = new int[nodes];
        for (int i = 1; i <= nodes; i++) {
            peers.add(new Peer("n" + i, "127.0.0.1", FreePorts.next()));
            processes.add(null);
        }
    }

    /** Every node launched from now on runs {@code level} (a test plays a cluster of an earlier release). */
    public ProcessCluster featureLevel(int level) {
        this.featureLevel = level;
        return this;
    }

    public List<Peer> peers() {
        return peers;
    }

    public void startAll() throws IOException, InterruptedException {
        for (int i = 0; i < peers.size(); i++) {
            launch(i);
        }
        for (int i = 0; i < peers.size(); i++) {
            awaitReady(i, Duration.ofSeconds(60));
        }
        // A new cluster is formed once each node's replicas vote: until then a group may run on its founder alone.
        for (int i = 0; i < peers.size(); i++) {
            awaitLogLine(i, "HEALTHY", Duration.ofSeconds(90));
        }
    }

    public void launch(int index) throws IOException {
        launch(index, false);
    }

    private void launch(int index, boolean join) throws IOException {
        launches[index]++;
        Peer peer = peers.get(index);
        Path log = baseDirectory.resolve(peer.id() + ".log");
        String peerList = peers.size() == 1 ? "-" : peers.stream().map(Peer::toString).collect(Collectors.joining(","));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), StoreNodeMain.class.getName(),
                peer.id(), String.valueOf(peer.port()), baseDirectory.resolve(peer.id()).toString(), peerList,
                String.valueOf(dataGroups), String.valueOf(snapshotThresholdEntries), String.valueOf(join),
                String.valueOf(featureLevel));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        processes.set(index, builder.start());
    }

    public void awaitReady(int index, Duration timeout) throws IOException, InterruptedException {
        awaitLogLine(index, "READY", timeout);
    }

    /** Waits until this launch of the node printed a line starting with {@code prefix} (logs append across launches). */
    private void awaitLogLine(int index, String prefix, Duration timeout) throws IOException, InterruptedException {
        Path log = baseDirectory.resolve(peers.get(index).id() + ".log");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process process = processes.get(index);
            if (Files.exists(log) && Files.readString(log).lines().filter(line -> line.startsWith(prefix)).count() >= launches[index]) {
                return;
            }
            if (process != null && !process.isAlive()) {
                throw new AssertionError("node " + index + " exited: " + logTails());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("node " + index + " printed no " + prefix + " within " + timeout + ": " + logTails());
    }

    /** Starts (or restarts) a node and waits until it prints READY. */
    public void restart(int index) throws IOException, InterruptedException {
        kill(index);
        launch(index, false);
        awaitReady(index, Duration.ofSeconds(60));
    }

    /** Starts a node with empty storage as a joiner: it waits to be added to the groups. */
    public void startJoining(int index) throws IOException, InterruptedException {
        kill(index);
        launch(index, true);
        awaitReady(index, Duration.ofSeconds(60));
    }

    /** SIGKILL: no shutdown hooks, no flush. */
    public void kill(int index) throws InterruptedException {
        Process process = processes.set(index, null);
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public void wipe(int index) {
        MiniCluster.deleteRecursively(baseDirectory.resolve(peers.get(index).id()));
    }

    public int indexOf(String nodeId) {
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).id().equals(nodeId)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no node " + nodeId);
    }

    /** A client of one group that reaches the cluster from the test JVM, as an outside client would. */
    public GroupClient client(String groupName, Duration requestTimeout) {
        RaftStoreConfig defaults = RaftStoreConfig.defaults();
        return new GroupClient(groupName, peers, new GroupClientSettings(4, 4 * 1024 * 1024, requestTimeout,
                defaults.maxWaitingCommands(), defaults.requestAttemptTimeout()), new SimpleMeterRegistry());
    }

    public String logTails() {
        StringBuilder out = new StringBuilder();
        for (Peer peer : peers) {
            Path log = baseDirectory.resolve(peer.id() + ".log");
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                out.append("\n--- ").append(peer.id()).append(" log tail ---\n");
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(line -> out.append(line).append('\n'));
            } catch (IOException e) {
                out.append("cannot read ").append(log).append(": ").append(e);
            }
        }
        return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (int i = 0; i < processes.size(); i++) {
            kill(i);
        }
    }
}
