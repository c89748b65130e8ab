package dev.sluice.raftstore;

import org.apache.ratis.server.RaftServer;

/** A node's Ratis server for tests in other packages (RaftStoreNode keeps it package-private to production code). */
public final class RaftServers {
    private RaftServers() {
    }

    public static RaftServer of(RaftStoreNode node) {
        return node.raftServer();
    }
}
