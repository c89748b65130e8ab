package dev.sluice.broker;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Three in-process Sluice servers forming one cluster (one data group), for tests that need replicas in one JVM. */
public final class ThreeNodeServers {
    /** Starts a server from its config (tests pass their bridge settings, say). */
    @FunctionalInterface
    public interface Starter {
        SluiceServer start(SluiceConfig config) throws java.io.IOException;
    }

    private ThreeNodeServers() {
    }

    /**
     * The three members, started at once (each waits for the others to elect leaders), all ready; {@code adjust} sets
     * what else each node's config needs (auth, say). Data under {@code data/n1..n3}.
     */
    public static List<SluiceServer> start(Path data, UnaryOperator<SluiceConfig> adjust, Starter starter) throws Exception {
        List<Peer> peers = List.of(new Peer("n1", "127.0.0.1", FreePorts.next()), new Peer("n2", "127.0.0.1", FreePorts.next()),
                new Peer("n3", "127.0.0.1", FreePorts.next()));
        List<CompletableFuture<SluiceServer>> starting = new ArrayList<>();
        for (Peer peer : peers) {
            SluiceConfig defaults = SluiceConfig.defaults();
            RaftStoreConfig raft = defaults.raft().withNode(peer.id(), peer.host(), peer.port()).withPeers(peers)
                    .withDataDirectory(data.resolve(peer.id())).withAllowTemporaryStorage(true).withDataGroups(1);
            SluiceConfig config = adjust.apply(defaults.withHttp(defaults.http().withPort(0)).withRaft(raft));
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return starter.start(config);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        List<SluiceServer> nodes = new ArrayList<>();
        for (CompletableFuture<SluiceServer> node : starting) {
            nodes.add(node.get(90, TimeUnit.SECONDS));
        }
        for (SluiceServer node : nodes) {
            long ready = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!node.node().health().ready()) {
                assertTrue(System.nanoTime() < ready, "node " + node.httpPort() + " not ready");
                Thread.sleep(50);
            }
        }
        return nodes;
    }
}
