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

    private final SluiceProcesses cluster;
    private final QueueHistory history = new QueueHistory();
    private final Workload workload;

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
        SluiceProcesses cluster = new SluiceProcesses(nodes, initialNodes, List.of("--data-groups", String.valueOf(dataGroups)));
        ClusterScenario scenario = new ClusterScenario(cluster);
        try {
            cluster.startAll(RESTART_BOUND);
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

    QueueHistory history() {
        return history;
    }

    Workload workload() {
        return workload;
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
        return new HttpProbe(cluster.httpPorts[node]);
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
        int killed = killLeaderOf(group);
        int acknowledgedAtKill = history.acknowledgedCount();
        runFor(Duration.ofSeconds(5));
        if (history.acknowledgedCount() <= acknowledgedAtKill) {
            throw new AssertionError("no send was acknowledged in 5 s after the leader of " + group + " died" + logTails());
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

    @Override
    public void close() throws Exception {
        try {
            workload.close();
        } finally {
            cluster.close();
        }
    }
}
