package dev.sluice.raftstore;

import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.catalog.CatalogEngine;
import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.client.GroupClientSettings;
import dev.sluice.raftstore.membership.ClusterLayout;
import dev.sluice.raftstore.membership.ClusterMembership;
import dev.sluice.raftstore.membership.GroupFounding;
import dev.sluice.raftstore.membership.GroupMembership;
import dev.sluice.raftstore.spi.DomainEngine;
import dev.sluice.raftstore.spi.EngineFactory;
import dev.sluice.raftstore.statemachine.EngineStateMachine;
import dev.sluice.raftstore.statemachine.Formation;
import dev.sluice.raftstore.statemachine.FoundingRecord;
import dev.sluice.raftstore.storage.RocksStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One raft-store node: a Ratis server hosting the catalog group and the data groups on one port,
 * a RocksDB per group under {@code dataDirectory/state}, and a {@link GroupClient} per group.
 *
 * <p>Any node accepts any call: the group clients find the group's leader themselves. Threads:
 * thread-safe after {@link #start}.
 */
public final class RaftStoreNode implements AutoCloseable {
    /**
     * How long a leader waits between attempts to reach a follower that does not answer: 1 ms ten times, 100 ms twenty
     * times, then 300 ms (each randomised by Ratis to 0.5-1.5x) for as long as it takes. Ratis's default ends at 5 s
     * after 30 failures, so a follower down for more than about 20 s heard from each group's leader up to 5 s after it
     * came back, and /health waited for the slowest of its groups: an idle 3-node cluster's restarted node was ready
     * 7.8 s after its start although it had been listening after 3.5 s. A refused connection costs the leader little.
     */
    static final String FOLLOWER_RETRY_POLICY = "1ms,10, 100ms,20, 300ms,1000000000";
    private static final Logger LOG = LoggerFactory.getLogger(RaftStoreNode.class);
    /** The catalog namespace where each node publishes its HTTP base URL, keyed by node id. */
    static final String NODE_URLS = "store.nodes";
    /** How often the leadership balancer looks, and how long it first waits (elections settle first). */
    static final Duration BALANCE_INTERVAL = Duration.ofSeconds(3);
    /**
     * How long a node waits before it retries publishing its URL or feature level while the catalog cannot commit
     * (peers still starting, no leader known yet): doubling from the first to the last. A restarted node's first
     * attempt often comes before it heard from the catalog's leader; a flat 2 s wait then kept it unready (its level
     * unpublished) for up to 2 s after everything else was up.
     */
    static final Duration PUBLISH_RETRY_FIRST = Duration.ofMillis(100);
    static final Duration PUBLISH_RETRY_LAST = Duration.ofSeconds(2);
    /**
     * A lone node's first election after a start, instead of one election timeout (0.5-1 s) of waiting for a leader
     * that cannot exist: with no other member there is no vote to split and no leader to unseat. It was a fifth of a
     * restart's wall time on a quiet machine (benchmarks/RESULTS.md, "Restart time").
     */
    static final Duration LONE_NODE_FIRST_ELECTION_MIN = Duration.ofMillis(50);
    static final Duration LONE_NODE_FIRST_ELECTION_MAX = Duration.ofMillis(100);
    /** Closed log segments whose entries the heap keeps (besides the open one's); see {@link #properties}. */
    static final int LOG_CACHE_CLOSED_SEGMENTS = 1;
    /** The most the heap keeps of log entries, the open segment's included, once a closed segment can be let go. */
    static final SizeInBytes LOG_CACHE_BYTES = SizeInBytes.valueOf("48MB");
    /** How long Ratis keeps a reply for a call sent again: the longest any node sends one, and a margin. */
    static final Duration RETRY_CACHE_EXPIRY = RaftStoreConfig.MAX_REQUEST_TIMEOUT.plusSeconds(5);
    /** A file in the data directory once its groups were created: a restart must never found a group again. */
    static final String FOUNDED_MARKER = "groups-created";
    /**
     * How often a published node below {@link FeatureLevel#COMMIT_STAMPS} in the cluster reads the effective level
     * again (one linearizable catalog read), until it sees level 5: stamps start within this after the last node of a
     * rolling upgrade published its level.
     */
    static final Duration COMMIT_STAMP_LEVEL_CHECK = Duration.ofSeconds(1);

    private final RaftStoreConfig config;
    private final RaftServer server;
    private final Map<String, EngineStateMachine> stateMachines;
    private final Map<String, GroupClient> clients = new LinkedHashMap<>();
    private final Catalog catalog;
    private final ClusterMembership membership;
    private final ClusterFeatures features;
    private final CommitStampLevel commitStampLevel;
    /** This node's groups still being founded ({@link Formation}). */
    private final FoundingRecord founding;
    private final Map<String, Throwable> fatalErrors = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** Closes the server after a fatal apply error; {@link #close} waits for it so no file is still being written. */
    private volatile Thread fatalStopper;
    /** One daemon thread for the node's housekeeping: URL publishing retries and leadership balancing. */
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "raft-store-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    private RaftStoreNode(RaftStoreConfig config, RaftServer server, Map<String, EngineStateMachine> stateMachines,
            FoundingRecord founding, Set<String> missingGroups, CommitStampLevel commitStampLevel, MeterRegistry meters) {
        this.config = config;
        this.server = server;
        this.stateMachines = stateMachines;
        GroupClientSettings settings = config.groupClientSettings();
        for (String name : StoreGroups.names(config.dataGroups())) {
            clients.put(name, new GroupClient(name, config.members(), settings, meters, server));
        }
        this.catalog = new Catalog(clients.get(StoreGroups.CATALOG));
        this.membership = new ClusterMembership(server, catalog, this::initialNodes, config.dataGroups(),
                config.dataGroupReplicationFactor(), () -> leadsReady(StoreGroups.CATALOG),
                () -> formationProblem(StoreGroups.CATALOG).isEmpty(), this::onReplicaRemoved,
                heartbeatStaleAfter(), config.requestTimeout(), missingGroups, config.members());
        this.commitStampLevel = commitStampLevel;
        this.features = new ClusterFeatures(catalog, config.nodeId(), config.featureLevel(), this::viewNodeIds,
                reason -> onFatal("features", new IllegalStateException(reason)), commitStampLevel::raise);
        this.founding = founding;
        housekeeping.scheduleWithFixedDelay(this::pointClientsAtLayout, 1, 1, TimeUnit.SECONDS);
        if (config.balanceLeaders() && (config.members().size() > 1 || config.joinExistingCluster())) {
            LeadershipBalancer balancer = new LeadershipBalancer(server, config.dataGroups(), this::dataGroup,
                    heartbeatStaleAfter(), config.electionTimeoutMax().multipliedBy(2), this::preferredLeader);
            housekeeping.scheduleWithFixedDelay(balancer, BALANCE_INTERVAL.toMillis(), BALANCE_INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The configured members with the URLs they published: the nodes of the first layout. */
    private List<ClusterLayout.Node> initialNodes() {
        Map<String, String> urls = publishedUrls().join();
        return config.members().stream().map(peer -> new ClusterLayout.Node(peer.id(), peer.host(), peer.port(),
                urls.getOrDefault(peer.id(), ""), ClusterLayout.NodeState.ACTIVE)).toList();
    }

    /**
     * Gives each group's client the members the layout (as this node's catalog replica has it) assigns the group:
     * the configured members are only where the cluster started, and a node that never held a group, or has left
     * it, answers its requests with "group not found".
     */
    private void pointClientsAtLayout() {
        try {
            membership.localLayout().ifPresent(layout -> layout.groups().forEach(group -> {
                GroupClient client = clients.get(group.name());
                if (client != null) {
                    client.useMembers(group.members().stream().map(layout::node).flatMap(Optional::stream)
                            .map(ClusterLayout.Node::peer).toList());
                }
            }));
        } catch (RuntimeException e) {
            LOG.warn("could not point the group clients at the cluster layout", e);
        }
    }

    /** The layout's preferred leader of a data group, as this node's catalog replica has it; empty before a layout. */
    private Optional<String> preferredLeader(int index) {
        return membership.localLayout().flatMap(layout -> layout.group(StoreGroups.dataGroupName(index)))
                .map(ClusterLayout.Group::preferredLeader).filter(leader -> !leader.isEmpty());
    }

    private boolean leadsReady(String groupName) {
        try {
            return server.getDivision(StoreGroups.groupId(groupName)).getInfo().isLeaderReady();
        } catch (IOException e) {
            return false;
        }
    }

    /** This node's replica of the group left: its RocksDB files go too (Ratis removed the log and snapshots). */
    private void onReplicaRemoved(String groupName) {
        stateMachines.remove(groupName);
        founding.formed(groupName); // a later replica here joins the group as it is then
        deleteRecursively(config.dataDirectory().resolve("state").resolve(groupName));
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (var walk = Files.walk(directory)) {
            for (Path each : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {} of a removed replica; delete it by hand", directory, e);
        }
    }

    /** Whether {@code directory} holds nothing yet (no group's log: a data directory's very first start). */
    private static boolean isEmpty(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    /** The cluster's membership: the layout, the operator commands, and the workers that reconcile it. */
    public ClusterMembership membership() {
        return membership;
    }

    /** A peer not heard from for this long counts as down: a few missed heartbeats, past any election timeout. */
    private Duration heartbeatStaleAfter() {
        return config.electionTimeoutMax().multipliedBy(2);
    }

    /**
     * Starts the node and joins (or forms) its groups. Throws IllegalArgumentException listing every
     * config problem, IOException when storage or the port cannot be used.
     */
    public static RaftStoreNode start(RaftStoreConfig config, EngineFactory engines, MeterRegistry meters,
            InstantSource clock) throws IOException {
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid raft-store config: " + String.join("; ", problems));
        }
        Path raftDirectory = config.dataDirectory().resolve("raft");
        Files.createDirectories(raftDirectory);
        Map<String, EngineStateMachine> stateMachines = new ConcurrentHashMap<>();
        Map<RaftGroupId, String> namesById = new LinkedHashMap<>();
        StoreGroups.names(config.dataGroups()).forEach(name -> namesById.put(StoreGroups.groupId(name), name));
        Holder self = new Holder();
        FoundingRecord founding = FoundingRecord.load(config.dataDirectory());
        boolean firstStart = !Files.exists(config.dataDirectory().resolve(FOUNDED_MARKER)) && !config.joinExistingCluster();
        CommitStampLevel commitStampLevel = CommitStampLevel.load(config.dataDirectory(), config.featureLevel(),
                firstStart && isEmpty(raftDirectory));
        StateMachine.Registry registry = groupId -> {
            String name = namesById.get(groupId);
            if (name == null) {
                throw new IllegalStateException("unknown Raft group " + groupId + " in " + raftDirectory);
            }
            DomainEngine engine = StoreGroups.CATALOG.equals(name) ? new CatalogEngine()
                    : engines.create(Integer.parseInt(name.substring("data-".length())));
            Counter leaderChanges = Counter.builder("sluice.raft.leader.changes").tag("group", name)
                    .description("Leader changes this node has seen in the group").register(meters);
            EngineStateMachine machine = new EngineStateMachine(name, engine,
                    config.dataDirectory().resolve("state").resolve(name), clock,
                    (group, error) -> self.onFatal(group, error), leaderChanges, founding, commitStampLevel::stampsAllowed);
            stateMachines.put(name, machine);
            return machine;
        };
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(config.nodeId()))
                .setProperties(properties(config, raftDirectory, commitStampLevel.commitIndexEntriesNeeded()))
                .setStateMachineRegistry(registry)
                .build();
        RaftStoreNode node = null;
        try {
            server.start();
            // Ratis replays the log inside start(); a group that failed there must not look healthy.
            for (var machine : stateMachines.entrySet()) {
                if (machine.getValue().isFailed()) {
                    throw new IOException("group " + machine.getKey() + " failed while replaying its log; see the log above");
                }
            }
            Set<String> missingGroups = foundMissingGroups(server, config, founding, firstStart);
            node = new RaftStoreNode(config, server, stateMachines, founding, missingGroups, commitStampLevel, meters);
            self.node = node;
            node.registerGauges(meters);
            node.membership.start();
            CompletableFuture<Void> published = new CompletableFuture<>();
            node.retryUntilDone(node.features::publish, published);
            published.thenRun(node::watchForCommitStamps);
            if (config.storageMayBeWiped()) {
                LOG.warn("data directory {} is under a temporary directory that the OS may wipe: fine for a trial, "
                        + "not for data you want to keep (use --data-dir)", config.dataDirectory().toAbsolutePath());
            }
            LOG.info("raft-store node {} started on {}:{} with groups {} and members {}", config.nodeId(), config.host(),
                    config.raftPort(), StoreGroups.names(config.dataGroups()), config.members());
            return node;
        } catch (IOException | RuntimeException e) {
            if (node != null) {
                node.close();
            } else {
                server.close();
            }
            throw e;
        }
    }

    /** Lets the registry's state machines reach the node that is built after them. */
    private static final class Holder {
        volatile RaftStoreNode node;

        void onFatal(String group, Throwable error) {
            RaftStoreNode current = node;
            if (current != null) {
                current.onFatal(group, error);
            }
        }
    }

    /** @param commitIndexEntries whether Ratis's leaders append commit-index entries ({@link CommitStampLevel}) */
    static RaftProperties properties(RaftStoreConfig config, Path raftDirectory, boolean commitIndexEntries) {
        RaftProperties properties = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(properties, List.of(raftDirectory.toFile()));
        GrpcConfigKeys.Server.setHost(properties, config.host());
        GrpcConfigKeys.Server.setPort(properties, config.raftPort());
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, millis(config.electionTimeoutMin().toMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, millis(config.electionTimeoutMax().toMillis()));
        if (config.peers().size() <= 1 && !config.joinExistingCluster()) {
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties, millis(LONE_NODE_FIRST_ELECTION_MIN.toMillis()));
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties, millis(LONE_NODE_FIRST_ELECTION_MAX.toMillis()));
        }
        // A leader that hears from no majority for one maximum election timeout steps down (Ratis's quorum check);
        // it then sits out elections for this wait (Ratis's default: 10 s). Pre-vote already keeps a cut-off node from
        // disrupting a healthy group, while the long wait kept a group leaderless whenever that node alone held the
        // newest log (the catalog went 12 s without a leader with two of three nodes up). Ratis also steps a node down
        // from every group after a JVM pause longer than this; twice the max election timeout, not once: on a starved
        // machine pauses of 1-3 s were common, and a pause that short need not have cost the lead.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(properties,
                millis(config.electionTimeoutMax().multipliedBy(2).toMillis()));
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(properties, FOLLOWER_RETRY_POLICY);
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, config.snapshotThresholdEntries());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setPurgeGap(properties, (int) Math.min(1024, config.snapshotThresholdEntries() / 2));
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("32MB"));
        // What the heap holds of the log beside the open segment: one closed segment, for a follower a little behind.
        // Ratis keeps six (up to 200 MB) by default: every message body of the last minute or so, held until evicted,
        // copied from young to old and marked there again and again by G1 (session 23's heap histogram of a loaded
        // node: 205 MB of byte[] in 23,000 cached entries, a concurrent mark every 5 s). An entry past them is read from
        // its segment file, as a follower far behind is served anyway.
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(properties, LOG_CACHE_CLOSED_SEGMENTS);
        RaftServerConfigKeys.Log.setSegmentCacheSizeMax(properties, LOG_CACHE_BYTES);
        // Ratis answers a call sent again (same client and call id) from its retry cache, which keeps every reply this
        // long (an entry's reply holds all its commands' results, a receive's its messages): 60 s by default, 150 MB of
        // a loaded node's heap (the same histogram, after the log cache was cut). A call is sent again only until its
        // sender's request timeout, at most MAX_REQUEST_TIMEOUT on any node; past it the caller has been told it
        // failed, and what it does next is its own retry. Not this node's own timeout: a sender may have a longer one.
        RaftServerConfigKeys.RetryCache.setExpiryTime(properties, millis(RETRY_CACHE_EXPIRY.toMillis()));
        // An entry holds up to maxProposalBytes of commands (or one larger command); leave room for framing.
        long entryLimit = config.maxProposalBytes() + (2L << 20);
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, SizeInBytes.valueOf(entryLimit));
        RaftServerConfigKeys.Log.setWriteBufferSize(properties, SizeInBytes.valueOf(entryLimit + (1L << 20)));
        GrpcConfigKeys.setMessageSizeMax(properties, SizeInBytes.valueOf(2 * entryLimit + (1L << 20)));
        RaftServerConfigKeys.Log.setCorruptionPolicy(properties, RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION);
        // No commit-index entries once the cluster runs level 5 (before, as a node of an earlier release writes them:
        // it cannot read stamps): by default a leader appends one after every commit, each its own append and often
        // its own fsync (1.66 fsyncs per client entry at saturation, 0.97 without). What they gave, a restarted
        // replica applying its own log up to its old commit index without a leader (so a lone replica after a power
        // loss serves at least what it served before, and not a key deleted since its store's last flush:
        // ReplicaAfterCrashIT), comes instead from the commit index the leader stamps into every entry, plus one
        // marker entry when a group goes idle (CommitMarkers), read back from the log's tail at start
        // (CommitIndexAtStart). Under load the next entry carries the stamp, so markers are rare.
        // They also told followers of each commit (a follower learns that entry N committed only from a later
        // message); the marker's append does that now, so a follower replica is not left one write behind until the
        // next write or heartbeat. No heartbeat on commit besides (stamp20 had one): it let a follower apply, and
        // serve, a write before its own log held the stamp that proves it (review 21, ServedBeforeProvedIT).
        RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, commitIndexEntries);
        config.raftProperties().forEach(properties::set);
        // Durability is not tunable: an acknowledged write is fsynced on a quorum, and while entries go unstamped
        // commit-index entries stay on (a lone replica after a power loss would serve stale state without either).
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(properties, false);
        if (commitIndexEntries) {
            RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, true);
        }
        RaftServerConfigKeys.setStorageDir(properties, List.of(raftDirectory.toFile()));
        return properties;
    }

    private static TimeDuration millis(long value) {
        return TimeDuration.valueOf(value, TimeUnit.MILLISECONDS);
    }

    /**
     * Founds the groups this node founds and returns the other groups it has no replica of. When a cluster is formed,
     * each group is founded by one node only ({@link GroupFounding}): the founder creates it with itself as the only
     * voter; every other node creates it later with no members, and the membership controller adds it as it adds any
     * new replica. Two nodes that each won a first election could otherwise write different entries at index 0, which
     * Ratis 3.3.0 never repairs (docs/issue14-data3-stall.md). Only a data directory's first start founds
     * ({@value #FOUNDED_MARKER} records it).
     *
     * <p>Every other missing group (a node that is not the founder, one started with {@code --join}, a restarted node
     * missing a group, a node whose disk was wiped) is created empty by the replica worker, and only once the group's
     * leader reports a committed configuration without this node ({@link dev.sluice.raftstore.membership.ClusterMembership}):
     * a replica on empty storage must never vote in a group that still counts this node as a voter, as it would vote
     * with its term, vote and log forgotten. A wiped node therefore waits, logging why, until {@code node-replace} has
     * removed it. Stale state files of such a group go now, before any replica could open them.
     */
    private static Set<String> foundMissingGroups(RaftServer server, RaftStoreConfig config, FoundingRecord record,
            boolean firstStart) throws IOException {
        Set<RaftGroupId> present = new HashSet<>();
        server.getGroupIds().forEach(present::add);
        Path founded = config.dataDirectory().resolve(FOUNDED_MARKER);
        Peer self = config.members().stream().filter(peer -> peer.id().equals(config.nodeId())).findFirst().orElseThrow();
        Set<String> missing = new java.util.LinkedHashSet<>();
        ClientId clientId = ClientId.randomId();
        long callId = 0;
        try (GroupFounding founding = new GroupFounding(config.members(), config.dataGroups(),
                config.dataGroupReplicationFactor())) {
            for (String name : StoreGroups.names(config.dataGroups())) {
                if (present.contains(StoreGroups.groupId(name))) {
                    continue;
                }
                GroupFounding.Start start = firstStart ? founding.startOf(name, config.nodeId()) : GroupFounding.Start.REJOIN;
                if (start != GroupFounding.Start.REJOIN) {
                    int foundedFor = founding.foundingMembers(name);
                    if (Formation.votersNeeded(foundedFor) > 1) {
                        record.begin(name, foundedFor); // before the group exists: a crash in between leaves no unguarded group
                    }
                }
                if (start != GroupFounding.Start.FOUND) {
                    deleteRecursively(config.dataDirectory().resolve("state").resolve(name));
                    missing.add(name);
                    continue;
                }
                RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(clientId, server.getId(),
                        callId++, StoreGroups.group(name, List.of(self)), true));
                if (!reply.isSuccess()) {
                    throw new IOException("cannot create group " + name, reply.getException());
                }
            }
        }
        if (!Files.exists(founded)) {
            Files.writeString(founded, "groups created; a restart of this directory founds none\n");
        }
        return missing;
    }

    private void registerGauges(MeterRegistry meters) {
        stateMachines.forEach((name, machine) -> {
            Gauge.builder("sluice.rocksdb.estimated.keys", machine, m -> rocksProperty(m, "rocksdb.estimate-num-keys"))
                    .tag("group", name).description("RocksDB's estimate of the keys in the group's store").register(meters);
            Gauge.builder("sluice.rocksdb.live.sst.bytes", machine, m -> rocksProperty(m, "rocksdb.live-sst-files-size"))
                    .tag("group", name).baseUnit("bytes").description("Size of the group's live SST files").register(meters);
            Gauge.builder("sluice.rocksdb.memtable.bytes", machine, m -> rocksProperty(m, "rocksdb.cur-size-all-mem-tables"))
                    .tag("group", name).baseUnit("bytes").description("Size of the group's RocksDB memtables").register(meters);
            Gauge.builder("sluice.raft.applied.index", machine, m -> m.getLastAppliedTermIndex() == null ? -1
                    : m.getLastAppliedTermIndex().getIndex()).tag("group", name)
                    .description("The last Raft log index applied to the group's state machine (-1 before any)").register(meters);
            Gauge.builder("sluice.raft.leader", machine, m -> isLeader(name) ? 1 : 0).tag("group", name)
                    .description("1 while this node leads the group").register(meters);
        });
    }

    private static double rocksProperty(EngineStateMachine machine, String property) {
        return machine.storeProperty(property);
    }

    private void onFatal(String group, Throwable error) {
        fatalErrors.put(group, error);
        // Stop serving on another thread: the caller is Ratis's apply thread.
        Thread stopper = new Thread(() -> {
            try {
                server.close();
            } catch (IOException e) {
                LOG.warn("closing Raft server after a fatal error failed", e);
            }
        }, "raft-store-fatal-stop");
        stopper.setDaemon(true);
        fatalStopper = stopper;
        stopper.start();
    }

    /** This node's Ratis server: for tests in this package that look into a group's log. */
    RaftServer raftServer() {
        return server;
    }

    public RaftStoreConfig config() {
        return config;
    }

    public Catalog catalog() {
        return catalog;
    }

    public int dataGroupCount() {
        return config.dataGroups();
    }

    /** The client of data group {@code index} (0-based). */
    public GroupClient dataGroup(int index) {
        return clients.get(StoreGroups.dataGroupName(index));
    }

    /** This node's replica of data group {@code index}'s engine: for leader-side waits and approximate reads. */
    public DomainEngine localEngine(int index) {
        EngineStateMachine machine = stateMachines.get(StoreGroups.dataGroupName(index));
        return machine == null ? null : machine.engine();
    }

    /**
     * The engine of this node's replica of data group {@code index} while that replica is a voting member of the
     * group (so it applies every committed entry) and the group serves ({@link Formation}), else null: the node holds no replica, or one that waits to be
     * added, or one the group has left and that is about to go. A caller serving the group without one goes
     * through {@link #dataGroup} to the members.
     */
    public DomainEngine servingEngine(int index) {
        EngineStateMachine machine = stateMachines.get(StoreGroups.dataGroupName(index));
        if (machine == null) {
            return null;
        }
        return serves(StoreGroups.dataGroupName(index)) ? machine.engine() : null;
    }

    /**
     * Whether this node holds a live, voting replica of the catalog (a node still joining does not) in a formed catalog
     * (a founder alone does not serve what it holds: {@link Formation}).
     */
    public boolean holdsCatalogReplica() {
        return serves(StoreGroups.CATALOG);
    }

    /** A voting replica of a group that serves: enough members vote ({@link Formation}). */
    private boolean serves(String groupName) {
        return votes(groupName) && formationProblem(groupName).isEmpty();
    }

    private Optional<String> formationProblem(String groupName) {
        EngineStateMachine machine = stateMachines.get(groupName);
        return machine == null ? Optional.of(groupName + " is not hosted here") : machine.formationProblem();
    }

    private boolean votes(String groupName) {
        try {
            var division = server.getDivision(StoreGroups.groupId(groupName));
            boolean voter = division.getRaftConf().getCurrentPeers().stream().anyMatch(peer -> peer.getId().equals(server.getId()));
            return voter && division.getInfo().isAlive();
        } catch (IOException notHosted) {
            return false;
        }
    }

    /** The last log index this node's replica of data group {@code index} applied; -1 before any. */
    public long appliedIndex(int dataGroupIndex) {
        EngineStateMachine machine = stateMachines.get(StoreGroups.dataGroupName(dataGroupIndex));
        var applied = machine == null ? null : machine.getLastAppliedTermIndex();
        return applied == null ? -1 : applied.getIndex();
    }

    public boolean isLeader(int dataGroupIndex) {
        return isLeader(StoreGroups.dataGroupName(dataGroupIndex));
    }

    private boolean isLeader(String groupName) {
        try {
            return server.getDivision(StoreGroups.groupId(groupName)).getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Publishes this node's HTTP base URL into the catalog ({@value #NODE_URLS}), so that any node can list every
     * node's URL ({@link #clusterView}). While the catalog has no quorum (peers still starting) it retries in the
     * background (see {@link #retryUntilDone}) until it is stored or the node closes; the future completes then.
     */
    public CompletableFuture<Void> publishHttpUrl(String url) {
        byte[] bytes = url.getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Void> published = new CompletableFuture<>();
        retryUntilDone(() -> catalog.put(NODE_URLS, config.nodeId(), bytes).thenApply(replaced -> null), published);
        return published;
    }

    /**
     * Runs {@code attempt} until it succeeds or the node closes, waiting {@link #PUBLISH_RETRY_FIRST} after the first
     * failure and twice as long after each next, up to {@link #PUBLISH_RETRY_LAST}; completes {@code done} then.
     */
    private void retryUntilDone(java.util.function.Supplier<CompletableFuture<Void>> attempt, CompletableFuture<Void> done) {
        retryUntilDone(attempt, done, PUBLISH_RETRY_FIRST.toMillis());
    }

    /** The wait after the next failure to publish, after one of {@code waitMillis}: twice as long, at most the last. */
    static long nextPublishWait(long waitMillis) {
        return Math.min(2 * waitMillis, PUBLISH_RETRY_LAST.toMillis());
    }

    private void retryUntilDone(java.util.function.Supplier<CompletableFuture<Void>> attempt, CompletableFuture<Void> done,
            long waitMillis) {
        if (closed) {
            done.completeExceptionally(new IllegalStateException("node closed before it published"));
            return;
        }
        attempt.get().whenComplete((ignored, error) -> {
            if (error == null) {
                done.complete(null);
                return;
            }
            try {
                housekeeping.schedule(() -> retryUntilDone(attempt, done, nextPublishWait(waitMillis)), waitMillis,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                done.completeExceptionally(error);
            }
        });
    }

    /**
     * Reads the cluster's effective level every {@link #COMMIT_STAMP_LEVEL_CHECK} until a read shows level 5
     * ({@link ClusterFeatures} tells {@link CommitStampLevel}): nothing else may ask for it, and stamps start then.
     * Also on a node that stamps from its start (a founding start, or its file says 5): that read is what records level 5
     * as the cluster's highest in the catalog, so a node later restarted at a lower level is refused (review 21b: a
     * cluster founded at level 5 let a level-4 node serve, and would have stopped a previous release at a stamp).
     * Never for a node that runs a lower level itself.
     */
    private void watchForCommitStamps() {
        if (closed || config.featureLevel() < FeatureLevel.COMMIT_STAMPS) {
            return;
        }
        features.effectiveLevel().whenComplete((level, unreadable) -> {
            if (level != null && level >= FeatureLevel.COMMIT_STAMPS) {
                return;
            }
            try {
                housekeeping.schedule(this::watchForCommitStamps, COMMIT_STAMP_LEVEL_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // the node closed
            }
        });
    }

    /** What this node has seen of the cluster's level, and what it decided for commit stamps: for tests. */
    CommitStampLevel commitStampLevel() {
        return commitStampLevel;
    }

    /** Which feature level the cluster may use, and this node's ({@link ClusterFeatures}). */
    public ClusterFeatures features() {
        return features;
    }

    /** The node ids of the cluster view: the layout's nodes, or the configured members before there is a layout. */
    private List<String> viewNodeIds() {
        return membership.localLayout().map(layout -> layout.nodes().stream().map(ClusterLayout.Node::id).toList())
                .orElseGet(() -> config.members().stream().map(Peer::id).toList());
    }

    /**
     * The cluster as this node sees it: every node of the layout (or, before there is one, every configured member)
     * with its published URL and liveness ({@link PeerLiveness}), every group with its actual and desired members,
     * leader and this replica's applied index. Reads this node's catalog replica (no quorum needed, so an operator
     * sees a broken cluster too); a group this node does not host is described by that group's leader.
     */
    public CompletableFuture<ClusterView> clusterView() {
        return publishedUrls().thenCombine(features.publishedLevels(config.nodeId()).exceptionally(unreadable -> Map.of()),
                (urls, levels) -> Map.entry(urls, levels))
                .thenCompose(published -> membership.actualMemberships(notHostedGroups())
                        .thenApply(remote -> clusterView(published.getKey(), published.getValue(), remote)));
    }

    private CompletableFuture<Map<String, String>> publishedUrls() {
        return catalog.scanReplica(config.nodeId(), NODE_URLS, "", null, 1000)
                .thenApply(page -> {
                    Map<String, String> urls = new LinkedHashMap<>();
                    page.entries().forEach(entry -> urls.put(entry.key(), new String(entry.value(), StandardCharsets.UTF_8)));
                    return urls;
                })
                .exceptionally(unreadable -> Map.of());
    }

    private List<String> notHostedGroups() {
        return StoreGroups.names(config.dataGroups()).stream().filter(name -> !hosts(name)).toList();
    }

    private boolean hosts(String groupName) {
        for (RaftGroupId id : server.getGroupIds()) {
            if (id.equals(StoreGroups.groupId(groupName))) {
                return true;
            }
        }
        return false;
    }

    private ClusterView clusterView(Map<String, String> urls, Map<String, Integer> levels, Map<String, GroupMembership> remote) {
        Optional<ClusterLayout> layout = membership.localLayout();
        List<ClusterLayout.Node> layoutNodes = layout.map(ClusterLayout::nodes).orElseGet(() -> config.members().stream()
                .map(peer -> new ClusterLayout.Node(peer.id(), peer.host(), peer.port(), "", ClusterLayout.NodeState.ACTIVE))
                .toList());
        List<String> ids = layoutNodes.stream().map(ClusterLayout.Node::id).toList();
        List<RaftGroupId> groupIds = StoreGroups.names(config.dataGroups()).stream().map(StoreGroups::groupId).toList();
        Map<String, ClusterView.NodeState> states = PeerLiveness.states(server, groupIds, ids, heartbeatStaleAfter());
        List<ClusterView.NodeView> nodes = layoutNodes.stream().map(node -> new ClusterView.NodeView(node.id(),
                node.peer().address(), urls.getOrDefault(node.id(), node.httpUrl().isEmpty() ? null : node.httpUrl()),
                states.get(node.id()), node.state().name().toLowerCase(java.util.Locale.ROOT),
                levels.getOrDefault(node.id(), FeatureLevel.BASELINE))).toList();
        List<ClusterView.GroupView> groups = new ArrayList<>();
        for (String name : StoreGroups.names(config.dataGroups())) {
            Optional<ClusterLayout.Group> desired = layout.flatMap(known -> known.group(name));
            ClusterView.GroupView actual = remote.containsKey(name) ? remoteView(name, remote.get(name)) : groupView(name);
            groups.add(actual.withDesired(desired.map(ClusterLayout.Group::members).orElse(actual.members()),
                    desired.map(ClusterLayout.Group::preferredLeader).orElse(""),
                    desired.map(ClusterLayout.Group::factor).orElse(actual.members().size())));
        }
        return new ClusterView(nodes, groups);
    }

    private static ClusterView.GroupView remoteView(String name, GroupMembership actual) {
        return new ClusterView.GroupView(name, actual.voters(), actual.leader(), -1, actual.listeners(), actual.voters(), "", 0,
                new java.util.TreeMap<>());
    }

    private ClusterView.GroupView groupView(String name) {
        EngineStateMachine machine = stateMachines.get(name);
        long applied = machine == null || machine.getLastAppliedTermIndex() == null ? -1
                : machine.getLastAppliedTermIndex().getIndex();
        try {
            RaftServer.Division division = server.getDivision(StoreGroups.groupId(name));
            List<String> members = division.getRaftConf().getCurrentPeers().stream().map(peer -> peer.getId().toString())
                    .sorted().toList();
            List<String> listeners = division.getRaftConf().getCurrentPeers(RaftProtos.RaftPeerRole.LISTENER).stream()
                    .map(peer -> peer.getId().toString()).sorted().toList();
            RaftPeerId leader = division.getInfo().getLeaderId();
            java.util.SortedMap<String, Long> lag = new java.util.TreeMap<>();
            PeerLiveness.followers(division).forEach(follower ->
                    lag.put(follower.id(), Math.max(0, applied - follower.matchIndex())));
            return new ClusterView.GroupView(name, members, leader == null ? null : leader.toString(), applied, listeners,
                    members, "", 0, lag);
        } catch (IOException | RuntimeException e) {
            return new ClusterView.GroupView(name, List.of(), null, applied, List.of(), List.of(), "", 0, new java.util.TreeMap<>());
        }
    }

    /**
     * Live: the node runs and no group failed fatally. Ready: live, and for every group hosted here (that the layout
     * assigns this node) this replica votes, enough members vote for the group to serve ({@link Formation}), the storage takes writes and a working leader is reachable
     * ({@link PeerLiveness#leaderProblem}: this node leads with a majority that answered within
     * {@link #heartbeatStaleAfter}, or follows a leader it heard from within it). Reads memory only, so the event
     * loop may call it.
     */
    public StoreHealth health() {
        Map<String, String> leaders = new LinkedHashMap<>();
        Map<String, String> problems = new LinkedHashMap<>();
        boolean live = !closed && fatalErrors.isEmpty();
        fatalErrors.forEach((group, error) -> problems.put(group, "fatal: " + error));
        Optional<ClusterLayout> layout = membership.localLayout();
        for (String name : StoreGroups.names(config.dataGroups())) {
            boolean expected = layout.flatMap(known -> known.group(name))
                    .map(group -> group.members().contains(config.nodeId())).orElseGet(() -> hosts(name));
            if (!expected) {
                continue; // another node's replica: not this node's health
            }
            try {
                RaftServer.Division division = server.getDivision(StoreGroups.groupId(name));
                RaftPeerId leader = division.getInfo().getLeaderId();
                leaders.put(name, leader == null ? "" : leader.toString());
                String leaderProblem = PeerLiveness.leaderProblem(division, heartbeatStaleAfter());
                if (leaderProblem != null) {
                    problems.putIfAbsent(name, leaderProblem);
                }
                if (!votes(name)) {
                    // A replica being added (a new cluster's non-founders, a move's target) follows the leader before
                    // it votes; until then the group has one replica fewer than a ready cluster promises.
                    problems.putIfAbsent(name, "not a voting member yet: the group's leader is adding this replica");
                }
                // A founder alone (or any group with fewer voters than a majority of its layout) refuses every command.
                formationProblem(name).ifPresent(problem -> problems.putIfAbsent(name, problem));
                EngineStateMachine machine = stateMachines.get(name);
                if (machine == null || !machine.isStorageWritable()) {
                    problems.putIfAbsent(name, "storage not writable");
                } else if (machine.isRebuilding()) {
                    // Its applies and this replica's reads (a queue's Policy, its depth) wait until then.
                    problems.putIfAbsent(name, "rebuilding its in-memory state from the store");
                }
            } catch (IOException | RuntimeException e) {
                leaders.put(name, "");
                problems.putIfAbsent(name, "group not running: " + e.getMessage());
            }
        }
        // A group this node has no replica of yet but waits to create (a wiped node waits for node-replace).
        membership.waitingReplicas().forEach(problems::putIfAbsent);
        if (!features.published()) {
            // Until then the others count this node at the baseline level (ClusterFeatures).
            problems.putIfAbsent("features", "feature level " + features.ownLevel() + " not yet published into the catalog");
        }
        return new StoreHealth(live, live && problems.isEmpty(), leaders, problems);
    }

    /**
     * Completes when every group hosted here has rebuilt its in-memory state from its store (a queue group's index of
     * its messages is rebuilt on a thread of its own while the group starts; see {@code DomainEngine#recover}).
     */
    public CompletableFuture<Void> rebuilt() {
        return CompletableFuture.allOf(stateMachines.values().stream().map(EngineStateMachine::rebuilt)
                .toArray(CompletableFuture[]::new));
    }

    /** Group names whose replica on this node failed fatally. */
    public List<String> failedGroups() {
        return new ArrayList<>(fatalErrors.keySet());
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        housekeeping.shutdownNow();
        membership.close();
        for (GroupClient client : clients.values()) {
            client.close();
        }
        server.close();
        Thread stopper = fatalStopper;
        if (stopper != null) {
            try {
                stopper.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
