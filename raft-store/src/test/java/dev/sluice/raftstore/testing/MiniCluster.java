package dev.sluice.raftstore.testing;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.catalog.CatalogEngine;
import dev.sluice.raftstore.spi.EngineFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Several raft-store nodes in this JVM on loopback ports, for scenario tests. {@link #kill} closes a
 * node (its files stay), {@link #restart} starts it again on the same files, {@link #wipe} deletes
 * them. For SIGKILL-style crashes use {@link ProcessCluster}.
 */
public final class MiniCluster implements AutoCloseable {
    private final List<Peer> peers;
    private final Path baseDirectory;
    private final List<RaftStoreConfig> configs = new ArrayList<>();
    private final List<RaftStoreNode> nodes = new ArrayList<>();
    private final EngineFactory engines;

    private MiniCluster(Builder builder) throws IOException {
        this.engines = builder.engines;
        List<Peer> members = new ArrayList<>();
        for (int i = 1; i <= builder.nodes; i++) {
            members.add(new Peer("n" + i, "127.0.0.1", FreePorts.next()));
        }
        this.peers = new ArrayList<>(members);
        this.baseDirectory = builder.baseDirectory;
        for (Peer peer : peers) {
            RaftStoreConfig config = RaftStoreConfig.defaults()
                    .withNode(peer.id(), peer.host(), peer.port())
                    .withDataDirectory(builder.baseDirectory.resolve(peer.id()))
                    .withPeers(builder.nodes == 1 ? List.of() : List.copyOf(peers))
                    .withDataGroups(builder.dataGroups)
                    .withSnapshotThresholdEntries(builder.snapshotThresholdEntries)
                    .withAllowTemporaryStorage(true)
                    .withRaftProperties(builder.raftProperties);
            if (builder.requestTimeout != null) {
                config = config.withRequestTimeout(builder.requestTimeout);
            }
            configs.add(config);
            nodes.add(null);
        }
        for (int i = 0; i < builder.started; i++) {
            restart(i);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private int nodes = 1;
        private int dataGroups = 1;
        private long snapshotThresholdEntries = 100_000;
        private Path baseDirectory;
        private EngineFactory engines = index -> new CatalogEngine();
        private Map<String, String> raftProperties = Map.of();
        private int started = -1;
        private Duration requestTimeout;

        public Builder nodes(int count) {
            this.nodes = count;
            return this;
        }

        public Builder dataGroups(int count) {
            this.dataGroups = count;
            return this;
        }

        public Builder snapshotThresholdEntries(long entries) {
            this.snapshotThresholdEntries = entries;
            return this;
        }

        public Builder baseDirectory(Path directory) {
            this.baseDirectory = directory;
            return this;
        }

        public Builder engines(EngineFactory factory) {
            this.engines = factory;
            return this;
        }

        public Builder raftProperties(Map<String, String> properties) {
            this.raftProperties = properties;
            return this;
        }

        /**
         * Starts only the first {@code count} nodes; the others are configured members, never started until
         * {@link #restart} starts them (a cluster whose peers are not up yet).
         */
        public Builder started(int count) {
            this.started = count;
            return this;
        }

        /** How long a write or read may take before it fails (the store's default: 15 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        public MiniCluster start() throws IOException {
            if (started < 0 || started > nodes) {
                started = nodes;
            }
            if (baseDirectory == null) {
                baseDirectory = Files.createTempDirectory("minicluster");
            }
            return new MiniCluster(this);
        }
    }

    public int size() {
        return nodes.size();
    }

    public RaftStoreNode node(int index) {
        return nodes.get(index);
    }

    public RaftStoreConfig config(int index) {
        return configs.get(index);
    }

    public Peer peer(int index) {
        return peers.get(index);
    }

    /**
     * Starts a new, empty node (the next id) that joins the running cluster ({@code joinExistingCluster}): it
     * waits until an operator adds it ({@code membership().addNode}). Returns its index.
     */
    public int startJoiningNode() throws IOException {
        int index = declareJoiningNode();
        restart(index);
        return index;
    }

    /**
     * Declares a new joining node (the next id, its port and directory) without starting it: an operator may add it
     * before it runs; {@link #restart} starts it. Returns its index.
     */
    public int declareJoiningNode() {
        Peer peer = new Peer("n" + (peers.size() + 1), "127.0.0.1", FreePorts.next());
        List<Peer> known = new ArrayList<>(peers);
        known.add(peer);
        RaftStoreConfig config = configs.get(0).withNode(peer.id(), peer.host(), peer.port())
                .withDataDirectory(baseDirectory.resolve(peer.id())).withPeers(known).withJoinExistingCluster(true);
        peers.add(peer);
        configs.add(config);
        nodes.add(null);
        return peers.size() - 1;
    }

    /** Changes a node's config for its next {@link #restart} (a test plays another release with another feature level). */
    public void reconfigure(int index, java.util.function.UnaryOperator<RaftStoreConfig> change) {
        configs.set(index, change.apply(configs.get(index)));
    }

    /** From now on the node starts as a joining node (after {@link #wipe}: an empty node under the same id). */
    public void joinOnRestart(int index) {
        configs.set(index, configs.get(index).withJoinExistingCluster(true));
    }

    /** Waits until every running node sees a leader for every group; returns the catalog leader's index. */
    public int awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int leader = -1;
            boolean ready = true;
            for (int i = 0; i < nodes.size(); i++) {
                RaftStoreNode node = nodes.get(i);
                if (node == null) {
                    continue;
                }
                var health = node.health();
                ready &= health.ready();
                String catalogLeader = health.leaders().getOrDefault("catalog", "");
                if (catalogLeader.equals(peers.get(i).id())) {
                    leader = i;
                }
            }
            if (ready && leader >= 0) {
                return leader;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader within " + timeout);
    }

    /** Index of the node leading the catalog group, or -1. */
    public int leader() {
        for (int i = 0; i < nodes.size(); i++) {
            RaftStoreNode node = nodes.get(i);
            if (node != null && peers.get(i).id().equals(node.health().leaders().get("catalog"))) {
                return i;
            }
        }
        return -1;
    }

    public List<Integer> followers() {
        int leader = leader();
        List<Integer> followers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (i != leader && nodes.get(i) != null) {
                followers.add(i);
            }
        }
        return followers;
    }

    public void kill(int index) throws IOException {
        RaftStoreNode node = nodes.set(index, null);
        if (node != null) {
            node.close();
        }
    }

    public void restart(int index) throws IOException {
        kill(index);
        nodes.set(index, RaftStoreNode.start(configs.get(index), engines, new SimpleMeterRegistry(), InstantSource.system()));
    }

    /** Deletes a stopped node's files, as if its disk was replaced. */
    public void wipe(int index) {
        if (nodes.get(index) != null) {
            throw new IllegalStateException("kill node " + index + " before wiping it");
        }
        deleteRecursively(configs.get(index).dataDirectory());
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < nodes.size(); i++) {
            kill(i);
        }
    }
}
