package dev.sluice.broker.cluster;

import dev.sluice.broker.HttpProbe;
import dev.sluice.broker.sqs.SluiceProcesses;
import dev.sluice.broker.sqs.SqsTestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A fault scenario on a multi-process cluster whose outcome one {@link QueueHistory} checks: the cluster
 * ({@link SluiceProcesses}), a {@link Workload} of tracked producers and consumers, and the faults, as steps that read
 * like the scenario's story.
 *
 * <p>To write a scenario (a cross-group redrive, a move task, a migration, a partitioned queue...):
 * <pre>{@code
 * try (ClusterScenario scenario = ClusterScenario.start(3, 6)) {
 *     TrackedQueue work = scenario.createFifo("work.fifo", 3, 0);       // through node 0
 *     scenario.workload().produce(work, 1);                              // producer through node 1
 *     scenario.workload().consume(work, 2);                              // consumer through node 2
 *     scenario.runFor(Duration.ofSeconds(3));
 *     ... start the move, migration or redrive here, through any node's SDK client or REST ({@link #operator}) ...
 *     scenario.killLeaderAndRestart(scenario.groupsOf("work.fifo").get(0));  // kill, run on, restart, run on
 *     ... or finer: int killed = scenario.killLeaderOf(group); scenario.runFor(...); scenario.restart(killed);
 *     QueueHistory.Report report = scenario.finish(Duration.ofSeconds(60));  // stop, drain, check, print
 *     assertTrue(report.valid(), report + scenario.logTails());
 * }
 * }</pre>
 * Message ids are unique across the run, so a message that moves between queues counts as delivered wherever it is
 * delivered: consume the destination (dead-letter queue, move target) as well and the checker sees no loss. FIFO order
 * is judged per queue and group. The workload tells the history which sends went out more than once
 * ({@link AttemptCounter}): a retried standard send may store two messages, and deleting one leaves the other, but a
 * copy the service made itself (a move's extra copy) that comes back after the delete is a resurrection.
 * Scenario-specific steps (start a move task, a migration) go through the public APIs ({@link #sqs(int)},
 * {@link #operator}) like any client's; a redrive scenario needs consumers that leave messages undeleted (extend
 * {@link Workload}'s consumer with such a policy). {@link SpreadQueuesClusterIT} and {@link QueueLayoutClusterIT}
 * are examples. Every step is bounded: restarts by {@link #RESTART_BOUND}, drains by the bound given to
 * {@link #finish}.
 */
final class ClusterScenario implements AutoCloseable {
    /**
     * Five processes of eleven Raft groups each took over two minutes to start at a load average of 56 (other builds
     * on the two cores); a quiet machine needs about ten seconds.
     */
    static final Duration RESTART_BOUND = Duration.ofSeconds(240);
    private static final int COMMAND_TRIES = 8;
    /** A first start: three JVMs open every group at once, on two cores that other builds may load heavily too. */
    static final Duration START_BOUND = Duration.ofSeconds(240);
    /** Beyond a kill's planned downtime: how long a scenario may wait for a send acknowledged without the node. */
    static final Duration ELECTION_BOUND = Duration.ofSeconds(30);

    /** Migrating a queue: draining or copying, with room for the leader kills of the groups involved. */
    static final Duration MIGRATION_BOUND = Duration.ofSeconds(120);

    private final SluiceProcesses cluster;
    private QueueHistory history = new QueueHistory();
    private Workload workload;
    /** Set up on the processes before they started (own filesystems, firewall groups): closed after them. */
    private final List<AutoCloseable> fixtures = new ArrayList<>();

    /** Something that prepares the processes before they start and is closed after they stop. */
    @FunctionalInterface
    interface FixtureSetup {
        AutoCloseable installOn(SluiceProcesses cluster) throws Exception;
    }

    private ClusterScenario(SluiceProcesses cluster) {
        this.cluster = cluster;
        this.workload = new Workload(history, cluster);
    }

    /** Starts {@code nodes} Sluice processes with {@code dataGroups} data groups and waits until all are healthy. */
    static ClusterScenario start(int nodes, int dataGroups) throws Exception {
        return start(nodes, nodes, dataGroups);
    }

    /**
     * A cluster formed by the first {@code initialNodes} of {@code nodes} processes; the others can join it later
     * ({@link SluiceProcesses#startJoining}, then {@code POST /v1/cluster/nodes}).
     */
    static ClusterScenario start(int nodes, int initialNodes, int dataGroups) throws Exception {
        return start(nodes, initialNodes, dataGroups, List.of());
    }

    /**
     * As {@link #start(int, int)}, with {@code setups} installed on the processes before they start (such as
     * {@link LoopbackPartition#installOn}, {@link LoopDisks#installOn}); {@link #fixture} answers them.
     */
    static ClusterScenario start(int nodes, int dataGroups, List<FixtureSetup> setups) throws Exception {
        return start(nodes, nodes, dataGroups, setups);
    }

    private static ClusterScenario start(int nodes, int initialNodes, int dataGroups, List<FixtureSetup> setups)
            throws Exception {
        SluiceProcesses cluster = new SluiceProcesses(nodes, initialNodes, List.of("--data-groups", String.valueOf(dataGroups)));
        ClusterScenario scenario = new ClusterScenario(cluster);
        try {
            for (FixtureSetup setup : setups) {
                scenario.fixtures.add(setup.installOn(cluster));
            }
        } catch (Exception | AssertionError failure) {
            scenario.close();
            throw failure;
        }
        try {
            // Several Raft groups per process start slowly on a loaded 2-core machine: more than two minutes at times.
            cluster.startAll(START_BOUND);
        } catch (Exception | AssertionError failure) {
            String logs = cluster.logTails();
            scenario.close();
            throw new AssertionError("cluster did not start" + logs, failure);
        }
        return scenario;
    }

    SluiceProcesses cluster() {
        return cluster;
    }

    /** The fixture of type {@code type} this scenario was started with. */
    <T> T fixture(Class<T> type) {
        return fixtures.stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("started without a " + type.getSimpleName()));
    }

    QueueHistory history() {
        return history;
    }

    Workload workload() {
        return workload;
    }

    /**
     * Ends this round's workload (its threads stopped) and begins a new round with a fresh history and workload on
     * the same cluster: several scenarios share one cluster start, each checked on its own.
     */
    void nextRound() throws InterruptedException {
        workload.close();
        history = new QueueHistory();
        workload = new Workload(history, cluster);
    }

    int nodes() {
        return cluster.httpPorts.length;
    }

    /** A new AWS SDK v2 client (default retries) of node {@code node}; the caller closes it. */
    SqsClient sqs(int node) {
        return SqsTestServer.client(cluster.httpPorts[node]);
    }

    /** A plain HTTP client of node {@code node}'s REST and admin API. */
    HttpProbe rest(int node) {
        // Longer than the server's own bound (10 s, then 503): on a loaded machine an operator call can take more than
        // the probe's default 5 s without anything being wrong (a migrate timed out at load 50).
        return new HttpProbe(cluster.httpPorts[node], java.time.Duration.ofSeconds(30));
    }

    TrackedQueue createStandard(String name, int viaNode) {
        return create(name, Map.of(), 0, viaNode);
    }

    /** A FIFO queue (deduplication ids given by the producers) that producers spread over {@code messageGroups} groups. */
    TrackedQueue createFifo(String name, int messageGroups, int viaNode) {
        return create(name, Map.of(QueueAttributeName.FIFO_QUEUE, "true"), messageGroups, viaNode);
    }

    /** A queue with {@code attributes}; {@code messageGroups} as in {@link TrackedQueue} (0 unless FIFO). */
    TrackedQueue create(String name, Map<QueueAttributeName, String> attributes, int messageGroups, int viaNode) {
        try (SqsClient sqs = sqs(viaNode)) {
            return new TrackedQueue(name, sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl(),
                    messageGroups);
        }
    }

    /** An operator call of the REST API through node {@code node} that must answer 200; its JSON answer. */
    JsonObject operator(int node, String method, String path, String body) throws Exception {
        HttpResponse<String> answer = switch (method) {
            case "GET" -> rest(node).get(path);
            case "POST" -> rest(node).post(path, body);
            case "PUT" -> rest(node).put(path, body);
            case "DELETE" -> rest(node).delete(path);
            default -> throw new IllegalArgumentException(method);
        };
        if (answer.statusCode() != 200) {
            throw new AssertionError(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return new JsonObject(answer.body());
    }

    /**
     * An idempotent operator command ({@code /v1/cluster} changes are) through node {@code node}, sent again, as an
     * operator would, when it got no answer within the probe's 5 s or a 5xx: on a loaded machine the catalog's leader
     * may not confirm the change in time. At most {@value #COMMAND_TRIES} tries.
     */
    JsonObject command(int node, String method, String path, String body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return operator(node, method, path, body);
            } catch (java.io.IOException | AssertionError notAnswered) {
                boolean refused = notAnswered instanceof AssertionError && !notAnswered.getMessage().contains(": 5");
                if (refused || attempt == COMMAND_TRIES) {
                    throw notAnswered;
                }
                Thread.sleep(2_000);
            }
        }
    }

    /** Starts node {@code node} empty with --join true and adds it through node {@code via}, as an operator does. */
    void addNode(int node, int via) throws Exception {
        cluster.startJoining(node);
        String request = new JsonObject().put("id", cluster.nodeId(node)).put("raftAddress", cluster.raftAddress(node))
                .put("httpUrl", "http://127.0.0.1:" + cluster.httpPorts[node]).encode();
        command(via, "POST", "/v1/cluster/nodes", request);
        System.out.println("scenario: " + cluster.nodeId(node) + " added");
    }

    /**
     * Asks node {@code node} for {@code GET /v1/cluster} every half second until {@code condition} holds; fails after
     * {@code bound} with the last view. A view needs every group's leader to answer, so some asks fail meanwhile.
     */
    JsonObject awaitView(int node, Duration bound, Predicate<JsonObject> condition) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        JsonObject view = null;
        while (System.nanoTime() < deadline) {
            try {
                view = operator(node, "GET", "/v1/cluster", null);
                if (condition.test(view)) {
                    return view;
                }
            } catch (AssertionError | RuntimeException | java.io.IOException notYet) {
                // a group's leader did not answer in time: ask again
            }
            Thread.sleep(500);
        }
        throw new AssertionError("cluster did not reach the condition within " + bound + ": " + view);
    }

    /** The data groups holding queue {@code name}, from {@code GET /v1/queues/{name}} on a running node. */
    List<String> groupsOf(String name) throws Exception {
        HttpResponse<String> answer = rest(aRunningNode()).get("/v1/queues/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        if (answer.statusCode() != 200) {
            throw new AssertionError("GET /v1/queues/" + name + ": " + answer.statusCode() + " " + answer.body());
        }
        JsonArray groups = new JsonObject(answer.body()).getJsonArray("groups");
        List<String> names = new ArrayList<>();
        groups.forEach(group -> names.add((String) group));
        return names;
    }

    /**
     * Waits until {@code GET /v1/queues/{name}} names {@code expected}: a node answers from a placement it cached up to
     * 5 s ago ({@code QueuePlacement.CACHE_MILLIS}), so a change made through another node shows there a little later.
     */
    void awaitGroups(String name, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<String> groups = groupsOf(name);
        while (!groups.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            groups = groupsOf(name);
        }
        if (!groups.equals(expected)) {
            throw new AssertionError(name + " lives in " + groups + ", not " + expected);
        }
    }

    /** The index of the node leading Raft group {@code group}, as a running node sees it. */
    int leaderOf(String group) throws Exception {
        return cluster.leaderOf(group, aRunningNode());
    }

    /** Leader node index of each data group {@code data-0..data-(count-1)}, in group order. */
    Map<String, Integer> leaders(int dataGroups) throws Exception {
        Map<String, Integer> leaders = new TreeMap<>();
        for (int group = 0; group < dataGroups; group++) {
            leaders.put("data-" + group, leaderOf("data-" + group));
        }
        return leaders;
    }

    /** A data group other than {@code notThese}, led by another node than theirs if there is one. */
    String aGroupLedElsewhere(int dataGroups, String... notThese) throws Exception {
        List<String> excluded = List.of(notThese);
        List<Integer> theirLeaders = new ArrayList<>();
        for (String group : excluded) {
            theirLeaders.add(leaderOf(group));
        }
        String fallback = null;
        for (var entry : leaders(dataGroups).entrySet()) {
            if (!excluded.contains(entry.getKey())) {
                if (!theirLeaders.contains(entry.getValue())) {
                    return entry.getKey();
                }
                fallback = fallback == null ? entry.getKey() : fallback;
            }
        }
        if (fallback == null) {
            throw new AssertionError("no data group outside " + excluded);
        }
        return fallback;
    }

    /** Starts migrating queue {@code name} (its partition in {@code fromGroup}, or null for the only one) to {@code toGroup}. */
    JsonObject migrate(String name, String fromGroup, String toGroup) throws Exception {
        JsonObject body = new JsonObject().put("toGroup", toGroup);
        if (fromGroup != null) {
            body.put("fromGroup", fromGroup);
        }
        JsonObject started = operator(aRunningNode(), "POST", "/v1/queues/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + "/migrate", body.encode());
        System.out.printf("scenario: migration of %s from %s to %s: %s%n", name, fromGroup, toGroup, started);
        return started;
    }

    /** Waits within {@link #MIGRATION_BOUND} until queue {@code name}'s migration is COMPLETED; answers its last state. */
    JsonObject awaitMigration(String name) throws Exception {
        long deadline = System.nanoTime() + MIGRATION_BOUND.toNanos();
        String path = "/v1/queues/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/migrate";
        JsonObject migration = null;
        while (System.nanoTime() < deadline) {
            migration = operator(aRunningNode(), "GET", path, null);
            if (migration.getString("state").equals("COMPLETED")) {
                return migration;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("migration of " + name + " not finished within " + MIGRATION_BOUND + ": " + migration
                + logTails());
    }

    /** Puts the (empty, unused) queue {@code name} into data group {@code group} by a migration, if it is elsewhere. */
    void placeIn(String name, String group) throws Exception {
        if (!groupsOf(name).equals(List.of(group))) {
            migrate(name, null, group);
            awaitMigration(name);
        }
    }

    /** SIGKILLs the node leading {@code group}; answers its index (for {@link #restart}). */
    int killLeaderOf(String group) throws Exception {
        int leader = leaderOf(group);
        System.out.printf("scenario: SIGKILL n%d, leader of %s%n", leader + 1, group);
        cluster.kill(leader);
        return leader;
    }

    /**
     * The usual fault step: SIGKILLs the leader of {@code group} mid-run, lets the workload run 5 s without it and
     * checks that sends were acknowledged meanwhile (the other groups and a new leader took over), restarts the node
     * and lets the workload run 3 s more. Answers the killed node's index.
     */
    int killLeaderAndRestart(String group) throws Exception {
        return killLeaderAndRestart(group, Duration.ofSeconds(5), Duration.ZERO);
    }

    /**
     * As {@link #killLeaderAndRestart(String)}, with the node down for {@code down} at least and until a send was
     * acknowledged without it, within {@code down} plus {@link #ELECTION_BOUND}: a scenario with few producers, all of
     * whose queues may be in the killed node's groups, waits out elections on a loaded machine (where a node just
     * restarted may still be catching up) before it expects an acknowledged send.
     */
    int killLeaderAndRestart(String group, Duration down) throws Exception {
        return killLeaderAndRestart(group, down, ELECTION_BOUND);
    }

    private int killLeaderAndRestart(String group, Duration down, Duration electionBound) throws Exception {
        int killed = killLeaderOf(group);
        int acknowledgedAtKill = history.acknowledgedCount();
        runFor(down);
        long deadline = System.nanoTime() + electionBound.toNanos();
        while (history.acknowledgedCount() <= acknowledgedAtKill && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (history.acknowledgedCount() <= acknowledgedAtKill) {
            throw new AssertionError("no send was acknowledged in " + down.plus(electionBound) + " after the leader of "
                    + group + " died" + logTails());
        }
        restart(killed);
        runFor(Duration.ofSeconds(3));
        return killed;
    }

    /**
     * Starts a killed node again where it was and waits until it is healthy: it replays its log of every group, which
     * takes a while on a busy machine, hence the generous bound.
     */
    void restart(int node) throws Exception {
        long began = System.nanoTime();
        cluster.start(node);
        try {
            cluster.awaitHealthy(node, RESTART_BOUND);
        } catch (AssertionError notHealthy) {
            throw new AssertionError(notHealthy.getMessage() + cluster.logTails(), notHealthy);
        }
        System.out.printf("scenario: n%d restarted, healthy after %d ms%n", node + 1,
                java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    /** Lets the workload run for {@code duration}. */
    void runFor(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }

    /** Stops the producers, drains the consumed queues within {@code drainBound}, checks the history and prints the report. */
    QueueHistory.Report finish(Duration drainBound) throws InterruptedException {
        workload.stopProducers();
        workload.drain(drainBound);
        QueueHistory.Report report = history.check();
        System.out.println("scenario: " + report + " surfacedErrors=" + workload.surfacedErrors());
        return report;
    }

    /** Copies every node's whole log into {@code directory} (the cluster deletes its own on close). */
    void keepLogs(java.nio.file.Path directory) throws java.io.IOException {
        java.nio.file.Files.createDirectories(directory);
        for (int node = 0; node < nodes(); node++) {
            if (java.nio.file.Files.exists(cluster.logFile(node))) {
                java.nio.file.Files.copy(cluster.logFile(node), directory.resolve("n" + (node + 1) + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    String logTails() {
        return cluster.logTails();
    }

    /** A node that runs now (the first one), to ask. */
    int aRunningNode() {
        for (int node = 0; node < nodes(); node++) {
            if (cluster.running(node)) {
                return node;
            }
        }
        throw new AssertionError("no node running");
    }

    private void closeFixtures() throws Exception {
        Exception first = null;
        for (int i = fixtures.size() - 1; i >= 0; i--) {
            try {
                fixtures.get(i).close();
            } catch (Exception failure) {
                first = first == null ? failure : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            workload.close();
        } finally {
            try {
                cluster.close();
            } finally {
                // After the processes died: a filesystem unmounts only then.
                closeFixtures();
            }
        }
    }
}
