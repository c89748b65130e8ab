package dev.sluice.raftstore;

import dev.sluice.raftstore.client.GroupClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import dev.sluice.raftstore.membership.ClusterLayout;
import java.util.Set;

/**
 * How one raft-store node runs.
 *
 * @param nodeId this node's id; must appear in {@code peers} when peers are given
 * @param host address the Raft port binds to and peers use
 * @param raftPort Raft (gRPC) port; peers reach this node there, so it must be a real port (tests ask FreePorts)
 * @param dataDirectory holds {@code raft/} (Ratis logs and snapshots) and {@code state/} (RocksDB per group)
 * @param peers every member of the cluster including this node; empty means a single-node group
 * @param dataGroups number of data Raft groups besides the catalog group; fixed at cluster creation
 * @param electionTimeoutMin lower bound of the randomized election timeout (default 500 ms). Ratis's follower sleeps
 *     one random timeout and campaigns if it heard nothing for that long, so a dead leader is noticed one to two
 *     timeouts after its last heartbeat: with 1-2 s that was 2-4 s and the next acknowledged send came ~3 s after a
 *     kill; 0.5-1 s brings it near 1 s. Leaders heartbeat every min/2 (250 ms); 150-300 ms timeouts caused spurious
 *     elections on loaded 2-core machines, and pre-vote keeps one stalled follower from unseating a working leader
 * @param electionTimeoutMax upper bound of the election timeout (default 1 s); also how long a leader without a
 *     majority keeps leading; twice it, how long after stepping down it sits out (see {@link RaftStoreNode})
 * @param snapshotThresholdEntries log entries after which a group snapshots and purges its log
 * @param maxInflightProposals Raft entries a group client keeps in flight; others queue and share the next entry
 *     (default 1: classic group commit, one entry's append, fsync and apply at a time while the next fills. Each entry
 *     costs Ratis's per-entry work, an fsync and several thread hand-offs; with 4, eight busy SQS clients made ~0.95
 *     entries per request, with 2 0.62 (session 17), with 1 and no commit-index entries ~0.4, for 0.77x the server CPU
 *     per message of 2 with commit-index entries; benchmarks/RESULTS.md, sessions 17 and 21)
 * @param maxProposalBytes bytes packed into one entry at most (one larger command still goes alone)
 * @param requestTimeout how long a write or read may take, retries included, before it fails; at most
 *     {@link #MAX_REQUEST_TIMEOUT}, which every node's retry cache outlives
 * @param joinExistingCluster a node with empty storage joining a running cluster (e.g. after a disk
 *     replacement): its groups start with no members and wait until the leader adds this node
 *     ({@link dev.sluice.raftstore.client.GroupClient#setMembers}); otherwise a fresh node forms the cluster
 * @param allowTemporaryStorage lets a cluster member's {@code dataDirectory} live under /tmp (tests only: /tmp may be
 *        wiped); a single node may always, with a warning
 * @param raftProperties extra Ratis properties for tuning; unsafe settings are refused by {@link #validate()}
 * @param maxWaitingCommands commands a group client holds waiting for the next Raft entry (default 10,000: about
 *     2 entries' worth at the largest batch); beyond it a write is refused at once with
 *     {@link dev.sluice.raftstore.client.StoreBusyException}, which the APIs answer as throttling
 * @param balanceLeaders true (default): each node hands the data groups it leads to their preferred leader
 *     (see {@link LeadershipBalancer}), so leaders spread evenly over the nodes
 * @param dataGroupReplicationFactor replicas of each data group in the layout a new cluster starts from (capped at
 *     the node count); {@link ClusterLayout#EVERY_NODE} keeps every group on every node as nodes are added
 * @param featureLevel the feature level this node runs and publishes ({@link FeatureLevel}): {@link FeatureLevel#CURRENT};
 *     a test sets a lower one to play a node of an older release
 */
public record RaftStoreConfig(
        String nodeId,
        String host,
        int raftPort,
        Path dataDirectory,
        List<Peer> peers,
        int dataGroups,
        Duration electionTimeoutMin,
        Duration electionTimeoutMax,
        long snapshotThresholdEntries,
        int maxInflightProposals,
        int maxProposalBytes,
        Duration requestTimeout,
        boolean joinExistingCluster,
        boolean allowTemporaryStorage,
        Map<String, String> raftProperties,
        int maxWaitingCommands,
        boolean balanceLeaders,
        int dataGroupReplicationFactor,
        int featureLevel) {
    /**
     * The longest request timeout a node may have. A node sends a call again under the same ids until its own request
     * timeout, and the group's leader answers it from its retry cache only while that keeps the reply: each node keeps
     * replies this long and 5 s more (RaftStoreNode), whatever its own timeout, so a node configured longer than the
     * leader (one node tuned, a rolling change) cannot have a call applied twice (RetryCacheAcrossRequestTimeoutsIT).
     */
    public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public static final String UNSAFE_FLUSH_KEY = "raft.server.log.unsafe-flush.enabled";

    public RaftStoreConfig {
        peers = List.copyOf(peers);
        raftProperties = Map.copyOf(raftProperties);
    }

    public static RaftStoreConfig defaults() {
        return new RaftStoreConfig("n1", "127.0.0.1", 9325, Path.of("data"), List.of(), 1,
                Duration.ofMillis(500), Duration.ofMillis(1000), 100_000, 1, 4 * 1024 * 1024,
                Duration.ofSeconds(15), false, false, Map.of(), 10_000, true, ClusterLayout.DEFAULT_REPLICATION_FACTOR,
                FeatureLevel.CURRENT);
    }

    /**
     * True when a single node keeps its data under a temporary directory (a checkout under /tmp with the
     * default {@code ./data}): allowed, so that a laptop trial starts anywhere, but worth a warning.
     * A cluster member there is refused by {@link #validate}: its data is a replica others count on.
     */
    public boolean storageMayBeWiped() {
        return dataDirectory != null && isTemporary(dataDirectory);
    }

    private boolean isClusterMember() {
        return peers.size() > 1 || joinExistingCluster;
    }

    /** Every problem at once; empty when the config is usable. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (nodeId == null || !nodeId.matches("[A-Za-z0-9_-]{1,64}")) {
            problems.add("node id must be 1-64 of [A-Za-z0-9_-]: " + nodeId);
        }
        if (featureLevel < FeatureLevel.BASELINE || featureLevel > FeatureLevel.CURRENT) {
            problems.add("feature level must be " + FeatureLevel.BASELINE + "-" + FeatureLevel.CURRENT + ": " + featureLevel);
        }
        if (raftPort < 0 || raftPort > 65535) {
            problems.add("raft port out of range: " + raftPort);
        }
        if (dataDirectory == null) {
            problems.add("data directory is required");
        } else if (!allowTemporaryStorage && isClusterMember() && isTemporary(dataDirectory)) {
            problems.add("data directory " + dataDirectory.toAbsolutePath()
                    + " is under a temporary directory that the OS may wipe; choose a durable path");
        }
        if (!peers.isEmpty()) {
            Set<String> ids = new HashSet<>();
            peers.forEach(peer -> {
                if (!ids.add(peer.id())) {
                    problems.add("duplicate peer id " + peer.id());
                }
            });
            if (!ids.contains(nodeId)) {
                problems.add("peers must include this node's id " + nodeId);
            }
            // A joining node lists the running members and itself; the cluster's layout, not this count, decides groups.
            if (peers.size() % 2 == 0 && !joinExistingCluster) {
                problems.add("use an odd number of peers (got " + peers.size() + "); an even count adds no fault tolerance");
            }
        }
        if (dataGroups < 1 || dataGroups > 256) {
            problems.add("data groups must be 1-256: " + dataGroups);
        }
        if (electionTimeoutMin.isNegative() || electionTimeoutMin.toMillis() < 100
                || electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
            problems.add("election timeouts must be >= 100 ms with max > min: " + electionTimeoutMin + ".." + electionTimeoutMax);
        }
        if (snapshotThresholdEntries < 100) {
            problems.add("snapshot threshold must be >= 100 entries: " + snapshotThresholdEntries);
        }
        if (maxInflightProposals < 1 || maxInflightProposals > 64) {
            problems.add("max in-flight proposals must be 1-64: " + maxInflightProposals);
        }
        if (maxProposalBytes < 2 * 1024 * 1024 || maxProposalBytes > 16 * 1024 * 1024) {
            problems.add("max proposal bytes must be 2-16 MiB: " + maxProposalBytes);
        }
        if (maxWaitingCommands < 1 || maxWaitingCommands > 1_000_000) {
            problems.add("max waiting commands must be 1-1000000: " + maxWaitingCommands);
        }
        if (requestTimeout.toMillis() < 100 || requestTimeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
            problems.add("request timeout must be 100 ms to " + MAX_REQUEST_TIMEOUT.toSeconds() + " s: " + requestTimeout);
        }
        if ("true".equalsIgnoreCase(raftProperties.getOrDefault(UNSAFE_FLUSH_KEY, "false").trim())) {
            problems.add(UNSAFE_FLUSH_KEY + "=true would acknowledge writes before they are on disk; refused");
        }
        if (raftProperties.containsKey("raft.server.storage.dir")) {
            problems.add("raft.server.storage.dir is derived from the data directory; set that instead");
        }
        return problems;
    }

    private static boolean isTemporary(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        Path systemTemp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        return absolute.startsWith(Path.of("/tmp")) || absolute.startsWith(Path.of("/var/tmp")) || absolute.startsWith(systemTemp);
    }

    /** The settings a node gives its group clients (and outside clients of the cluster should use). */
    public GroupClientSettings groupClientSettings() {
        return new GroupClientSettings(maxInflightProposals, maxProposalBytes, requestTimeout, maxWaitingCommands,
                requestAttemptTimeout(), GroupClientSettings.DEFAULT_ENTRY_LINGER,
                GroupClientSettings.DEFAULT_LINGER_COMMANDS);
    }

    /**
     * How long a client waits on one node before trying another: the longest election timeout. A follower campaigns
     * once it has heard nothing for one to two of its (randomised) timeouts. On a node with a replica of the group the
     * client then asks the leader that replica follows (the group client's followed-leader sender), so a silent
     * (frozen, cut-off) leader costs one attempt and the wait for the election. A client outside the cluster goes
     * through the Raft client, which asks another member, and that member names the silent leader again until an
     * election has replaced it: it comes back to the silent leader once per attempt until then, so short attempts keep
     * that at most one attempt past the election (twice the timeout cost 4-5 s with a frozen leader). A slow but live
     * leader is merely asked again (same call id, answered from its retry cache). Capped by the request timeout.
     */
    public Duration requestAttemptTimeout() {
        return electionTimeoutMax.compareTo(requestTimeout) > 0 ? requestTimeout : electionTimeoutMax;
    }

    /** The members of every group: the configured peers, or this node alone. */
    public List<Peer> members() {
        return peers.isEmpty() ? List.of(new Peer(nodeId, host, raftPort)) : peers;
    }

    public RaftStoreConfig withNode(String newNodeId, String newHost, int newRaftPort) {
        return new RaftStoreConfig(newNodeId, newHost, newRaftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    public RaftStoreConfig withDataDirectory(Path newDataDirectory) {
        return new RaftStoreConfig(nodeId, host, raftPort, newDataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    public RaftStoreConfig withPeers(List<Peer> newPeers) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, newPeers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    public RaftStoreConfig withDataGroups(int newDataGroups) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, newDataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    public RaftStoreConfig withSnapshotThresholdEntries(long entries) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, entries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    public RaftStoreConfig withJoinExistingCluster(boolean join) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                join, allowTemporaryStorage, raftProperties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    public RaftStoreConfig withAllowTemporaryStorage(boolean allow) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allow, raftProperties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    public RaftStoreConfig withRaftProperties(Map<String, String> properties) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, properties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    public RaftStoreConfig withMaxWaitingCommands(int commands) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, commands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    public RaftStoreConfig withBalanceLeaders(boolean balance) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, maxWaitingCommands, balance, dataGroupReplicationFactor, featureLevel);
    }

    /** Replicas of each data group in a new cluster's layout; {@link ClusterLayout#EVERY_NODE} for every node. */
    public RaftStoreConfig withDataGroupReplicationFactor(int factor) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, maxWaitingCommands, balanceLeaders, factor, featureLevel);
    }

    public RaftStoreConfig withRequestTimeout(Duration timeout) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, timeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, featureLevel);
    }

    /** The feature level this node runs and publishes: a test plays an older release with a lower one. */
    public RaftStoreConfig withFeatureLevel(int level) {
        return new RaftStoreConfig(nodeId, host, raftPort, dataDirectory, peers, dataGroups, electionTimeoutMin,
                electionTimeoutMax, snapshotThresholdEntries, maxInflightProposals, maxProposalBytes, requestTimeout,
                joinExistingCluster, allowTemporaryStorage, raftProperties, maxWaitingCommands, balanceLeaders, dataGroupReplicationFactor, level);
    }
}
