package dev.sluice.broker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Three Sluice processes with six data groups: 40 queues (every fourth FIFO) created one after another through the
 * three nodes spread evenly over all groups, and the groups' leaders over all nodes (two each, by the leadership
 * balancer: data group i prefers the i-th node); a create of one name through every node at once makes one queue; and
 * producers and consumers on eight queues over all groups lose nothing, resurrect nothing and keep FIFO order while
 * the leaders of two of those groups are SIGKILLed and restarted, one after the other ({@link QueueHistory}).
 */
@Tag("fault")
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SpreadQueuesClusterIT {
    private static final int NODES = 3;
    private static final int DATA_GROUPS = 6;
    private static final int QUEUES = 40;
    private static final int WORKED_QUEUES = 8;
    /** The balancer moves one group per node and pass, and only to a caught-up member. */
    private static final Duration LEADERS_SPREAD_BOUND = Duration.ofSeconds(60);

    private final long startedAt = System.nanoTime();
    private ClusterScenario scenario;
    /** The 40 queues by name (creation order) and the one group each lives in. */
    private final Map<TrackedQueue, String> groupOfQueue = new LinkedHashMap<>();

    @BeforeAll
    void startTheClusterAndCreateFortyQueuesThroughEveryNode() throws Exception {
        scenario = ClusterScenario.start(NODES, DATA_GROUPS);
        System.out.printf("cluster of %d nodes up after %d ms%n", NODES, elapsedMillis());
        for (int i = 0; i < QUEUES; i++) {
            int node = i % NODES;
            TrackedQueue queue = i % 4 == 3 ? scenario.createFifo(String.format("spread-%02d.fifo", i), 3, node)
                    : scenario.createStandard(String.format("spread-%02d", i), node);
            List<String> groups = scenario.groupsOf(queue.name());
            assertEquals(1, groups.size(), queue.name() + " lives in one group: " + groups);
            groupOfQueue.put(queue, groups.get(0));
        }
        System.out.printf("%d queues created after %d ms%n", QUEUES, elapsedMillis());
    }

    @AfterAll
    void stopTheCluster() throws Exception {
        if (scenario != null) {
            scenario.close();
        }
        System.out.printf("SpreadQueuesClusterIT took %d ms%n", elapsedMillis());
    }

    @Test
    void queuesCreatedOneAfterAnotherThroughDifferentNodesSpreadEvenlyOverAllGroupsAndLeadersOverAllNodes()
            throws Exception {
        Map<String, Integer> perGroup = new TreeMap<>();
        groupOfQueue.values().forEach(group -> perGroup.merge(group, 1, Integer::sum));
        System.out.println("queues per group: " + perGroup);
        assertEquals(DATA_GROUPS, perGroup.size(), "every group holds queues: " + perGroup);
        int most = Collections.max(perGroup.values());
        int fewest = Collections.min(perGroup.values());
        assertTrue(most - fewest <= 1, "balanced to within one queue: " + perGroup);

        assertLeadersSpread();
    }

    @Test
    void aCreateOfOneNameThroughEveryNodeAtOnceMakesOneQueue() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(NODES);
        try {
            for (int round = 0; round < 5; round++) {
                String name = (round % 2 == 0 ? "contested-" : "contested-fifo-") + round + (round % 2 == 0 ? "" : ".fifo");
                CountDownLatch together = new CountDownLatch(NODES);
                List<CompletableFuture<String>> urls = new ArrayList<>();
                for (int node = 0; node < NODES; node++) {
                    int via = node;
                    urls.add(CompletableFuture.supplyAsync(() -> {
                        together.countDown();
                        awaitQuietly(together);
                        return name.endsWith(".fifo") ? scenario.createFifo(name, 1, via).url()
                                : scenario.createStandard(name, via).url();
                    }, callers));
                }
                Set<String> distinct = new HashSet<>();
                urls.forEach(url -> distinct.add(pathOf(url.join())));
                assertEquals(1, distinct.size(), "one queue URL for " + name + ": " + distinct);
                Set<List<String>> groupsSeen = new HashSet<>();
                for (int node = 0; node < NODES; node++) {
                    try (SqsClient sqs = scenario.sqs(node)) {
                        assertEquals(List.copyOf(distinct), sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls().stream()
                                .map(SpreadQueuesClusterIT::pathOf).toList(),
                                name + " listed once through n" + (node + 1));
                    }
                    groupsSeen.add(scenario.groupsOf(name));
                }
                assertEquals(1, groupsSeen.size(), "every node places " + name + " in the same group: " + groupsSeen);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void leaderKillsOfTwoGroupsLoseNothingResurrectNothingAndKeepFifoOrder() throws Exception {
        long began = System.nanoTime();
        List<TrackedQueue> worked = queuesOverAllGroups();
        Workload workload = scenario.workload();
        for (int i = 0; i < worked.size(); i++) {
            workload.produce(worked.get(i), i % NODES);
            // Two consumers through two other nodes: FIFO groups must stay in order across consumers too.
            workload.consume(worked.get(i), (i + 1) % NODES);
            workload.consume(worked.get(i), (i + 2) % NODES);
        }
        System.out.println("worked queues: " + worked.stream().map(q -> q.name() + "@" + groupOfQueue.get(q)).toList());
        assertLeadersSpread();
        scenario.runFor(Duration.ofSeconds(4));

        String firstGroup = groupOfQueue.get(worked.get(0));
        int firstKilled = scenario.killLeaderAndRestart(firstGroup);
        String secondGroup = aWorkedGroupLedElsewhere(worked, firstGroup, firstKilled);
        scenario.killLeaderAndRestart(secondGroup);

        QueueHistory.Report report = scenario.finish(Duration.ofSeconds(60));
        System.out.printf("leader kills of %s and %s: %s in %d ms%n", firstGroup, secondGroup, report,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        assertTrue(report.valid(), report + scenario.logTails());
        assertTrue(report.delivered() > 0 && report.duplicates() > 0, "messages were delivered, some again: " + report);
    }

    /**
     * Waits (bounded) until the leaders are spread as the leadership balancer promises: data group {@code i} led by
     * the {@code i}-th node (modulo the node count), so each of the 3 nodes leads 2 of the 6 groups. Prints the
     * distribution either way.
     */
    private void assertLeadersSpread() throws Exception {
        long deadline = System.nanoTime() + LEADERS_SPREAD_BOUND.toNanos();
        Map<String, Integer> leaders = scenario.leaders(DATA_GROUPS);
        while (!spread(leaders) && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            leaders = scenario.leaders(DATA_GROUPS);
        }
        Map<String, Integer> groupsLed = new TreeMap<>();
        for (int node = 0; node < NODES; node++) {
            groupsLed.put("n" + (node + 1), 0);
        }
        leaders.values().forEach(node -> groupsLed.merge("n" + (node + 1), 1, Integer::sum));
        String shown = leaders.entrySet().stream().map(e -> e.getKey() + "=n" + (e.getValue() + 1)).toList()
                + "; groups led per node: " + groupsLed;
        System.out.println("leaders: " + shown + " after " + elapsedMillis() + " ms");
        assertTrue(spread(leaders), "each node leads " + DATA_GROUPS / NODES + " groups within " + LEADERS_SPREAD_BOUND
                + ": " + shown);
    }

    private static boolean spread(Map<String, Integer> leaders) {
        for (int group = 0; group < DATA_GROUPS; group++) {
            if (leaders.get("data-" + group) != group % NODES) {
                return false;
            }
        }
        return true;
    }

    /** A group of a worked queue other than {@code notThis}, led by another node than {@code notBy} if there is one. */
    private String aWorkedGroupLedElsewhere(List<TrackedQueue> worked, String notThis, int notBy) throws Exception {
        String fallback = null;
        for (TrackedQueue queue : worked) {
            String group = groupOfQueue.get(queue);
            if (!group.equals(notThis)) {
                if (scenario.leaderOf(group) != notBy) {
                    return group;
                }
                fallback = fallback == null ? group : fallback;
            }
        }
        return fallback;
    }

    /**
     * {@value #WORKED_QUEUES} of the 40 queues, taken round the groups (one per group, then a second from the first
     * groups), each time of the kind (FIFO or standard) chosen fewer times so far where the group has both.
     */
    private List<TrackedQueue> queuesOverAllGroups() {
        Map<String, List<TrackedQueue>> byGroup = new TreeMap<>();
        groupOfQueue.forEach((queue, group) -> byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(queue));
        List<TrackedQueue> chosen = new ArrayList<>();
        while (chosen.size() < WORKED_QUEUES) {
            for (List<TrackedQueue> queues : byGroup.values()) {
                long fifos = chosen.stream().filter(TrackedQueue::fifo).count();
                boolean wantFifo = fifos < chosen.size() - fifos;
                queues.stream().filter(q -> q.fifo() == wantFifo).findFirst().or(() -> queues.stream().findFirst())
                        .filter(q -> chosen.size() < WORKED_QUEUES).ifPresent(q -> {
                            chosen.add(q);
                            queues.remove(q);
                        });
            }
        }
        assertTrue(chosen.stream().anyMatch(TrackedQueue::fifo) && chosen.stream().anyMatch(q -> !q.fifo()), chosen.toString());
        return chosen;
    }

    /** A queue URL without its host: each node answers URLs under its own address, as SQS endpoints do. */
    private static String pathOf(String url) {
        return java.net.URI.create(url).getPath();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    }
}
