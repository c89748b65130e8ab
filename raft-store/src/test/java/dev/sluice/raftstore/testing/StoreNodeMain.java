package dev.sluice.raftstore.testing;

import dev.sluice.raftstore.Peer;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.catalog.CatalogEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * A raft-store node in its own JVM for crash tests: {@code <id> <port> <dataDir> <peers|-> <dataGroups> <snapshotEntries> <join>}.
 * Prints READY once started and runs until killed.
 */
public final class StoreNodeMain {
    private StoreNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Peer> peers = "-".equals(args[3]) ? List.of() : Peer.parseList(args[3]);
        RaftStoreConfig config = RaftStoreConfig.defaults()
                .withNode(args[0], "127.0.0.1", Integer.parseInt(args[1]))
                .withDataDirectory(Path.of(args[2]))
                .withPeers(peers)
                .withDataGroups(Integer.parseInt(args[4]))
                .withSnapshotThresholdEntries(Long.parseLong(args[5]))
                .withJoinExistingCluster(Boolean.parseBoolean(args[6]))
                .withFeatureLevel(args.length > 7 ? Integer.parseInt(args[7]) : dev.sluice.raftstore.FeatureLevel.CURRENT)
                .withAllowTemporaryStorage(true)
                .withRaftProperties(Map.of());
        try {
            RaftStoreNode node = RaftStoreNode.start(config, index -> new CatalogEngine(), new SimpleMeterRegistry(),
                    InstantSource.system());
            // Started, not necessarily caught up: clients retry until a leader is known.
            System.out.println("READY " + node.config().nodeId());
            System.out.flush();
            // Once every replica here votes and follows a leader: a new cluster's groups start on their founders.
            while (!node.health().ready()) {
                Thread.sleep(50);
            }
            System.out.println("HEALTHY " + node.config().nodeId());
            System.out.flush();
            Thread.currentThread().join();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
