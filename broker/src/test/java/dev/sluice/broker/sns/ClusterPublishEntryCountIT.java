package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.ThreeNodeServers;
import dev.sluice.broker.sqs.QueueCommandCounts;
import dev.sluice.broker.sqs.SqsTestServer;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What an SNS Publish costs in data-group commands in a 3-node cluster (one data group, feature level 4), counted as
 * {@link PublishEntryCountIT} counts them on one node ({@code sluice_queue_commands_total}, summed over the nodes: each
 * counts what it proposed as the leader), and that every copy still arrives exactly once, also where the leader's node
 * runs no fanout poller for the topic, across a leader change and with the leader's node down. Every node runs a topic's fanout pollers; at level 4
 * the node that leads the outbox's group proposes the fan-out at once, the others only what is still there a grace
 * period later (notify's {@code LeaderFirstReads}): the send and one fan-out per publish. Before, each node's pollers
 * proposed their own fan-out of the same message (skipped but each an entry): up to 4 commands per publish.
 *
 * <p>n1 leads the data group (its preferred leader; moved there at start) and runs at most 8 notify workers: the two
 * topics made at start take them (4 pollers each), a third gets none on n1, as a node's worker cap leaves it. Behind
 * the cluster tag: about 70 s.
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterPublishEntryCountIT {
    private static final String ACCOUNT_ARN = "arn:aws:sqs:us-east-1:000000000000:";
    /** The notify default fanoutPollersPerTopic. */
    private static final int POLLERS = 4;
    /** n1's notify worker cap: the pollers of two topics. */
    private static final int LEADER_WORKERS = 2 * POLLERS;
    private static final int PUBLISHES = 20;
    /** notify's LeaderFirstReads.GRACE_MILLIS: how long the other nodes leave ready messages to the leader's pollers. */
    private static final long GRACE_MILLIS = 2_000;
    /** What a copy may take beyond the grace period on a loaded 2-core machine (three nodes in one JVM). */
    private static final long MARGIN_MILLIS = 8_000;

    @TempDir
    static Path data;
    static List<SluiceServer> nodes;
    static List<SnsClient> sns = new ArrayList<>();
    static List<SqsClient> sqs = new ArrayList<>();
    static String oneSubscriberTopic;
    static List<String> oneSubscriberQueues;
    static String threeSubscriberTopic;
    static List<String> threeSubscriberQueues;

    @BeforeAll
    static void start() throws Exception {
        nodes = ThreeNodeServers.start(data, config -> config.raft().nodeId().equals("n1")
                ? config.withNotifications(config.notifications().withMaxWorkers(LEADER_WORKERS)) : config,
                config -> SluiceServer.start(config, List.of(), InstantSource.system()));
        for (SluiceServer node : nodes) {
            sns.add(SnsClients.client(node.httpPort()));
            sqs.add(SqsTestServer.client(node.httpPort()));
        }
        leadFromFirstNode();
        oneSubscriberQueues = new ArrayList<>();
        oneSubscriberTopic = topicWithQueues("one", 1, oneSubscriberQueues);
        threeSubscriberQueues = new ArrayList<>();
        threeSubscriberTopic = topicWithQueues("three", 3, threeSubscriberQueues);
        awaitPollers(List.of(LEADER_WORKERS, 2 * POLLERS, 2 * POLLERS));
        // A first publish of each topic warms its path up (subscriptions read, code compiled), as on one node.
        warmUp(oneSubscriberTopic, oneSubscriberQueues);
        warmUp(threeSubscriberTopic, threeSubscriberQueues);
    }

    private static void warmUp(String topic, List<String> queues) throws Exception {
        sns.get(0).publish(b -> b.topicArn(topic).message("warm-up"));
        for (String queue : queues) {
            awaitDepth(queue, 1, TimeUnit.SECONDS.toMillis(30));
            assertEquals(Map.of("warm-up", 1), drain(queue), queue);
        }
    }

    @AfterAll
    static void stop() {
        sns.forEach(SnsClient::close);
        sqs.forEach(SqsClient::close);
        if (nodes != null) {
            nodes.forEach(SluiceServer::close);
        }
    }

    @Test
    @Order(1)
    void publishesToOneQueueSubscriberTakeAtMostTwoCommandsEachAndArriveOnceEach() throws Exception {
        assertPublishesTakeAtMostTwoCommandsAndArriveOnce("one", oneSubscriberTopic, oneSubscriberQueues);
    }

    @Test
    @Order(2)
    void publishesToThreeQueueSubscribersTakeAtMostTwoCommandsEachAndArriveOnceEach() throws Exception {
        assertPublishesTakeAtMostTwoCommandsAndArriveOnce("three", threeSubscriberTopic, threeSubscriberQueues);
    }

    /**
     * A third topic: n1, the leader, is at its worker cap and runs none of its pollers (its waiting long polls stay at
     * 8), n2 and n3 run theirs. Each publish still reaches the queue, within the grace period and a margin.
     */
    @Test
    @Order(3)
    void publishesToATopicWithoutPollersOnTheLeadersNodeArriveWithinTheGracePeriod() throws Exception {
        leadFromFirstNode();
        List<String> queues = new ArrayList<>();
        String topic = topicWithQueues("unpolled", 1, queues);
        awaitPollers(List.of(LEADER_WORKERS, 3 * POLLERS, 3 * POLLERS));
        Thread.sleep(1_500); // n1's notify refreshes every second: it had its chance to start pollers
        assertEquals(LEADER_WORKERS, waiting(nodes.get(0)), "n1 runs no poller of the third topic");

        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = "unpolled-" + i;
            long published = System.nanoTime();
            sns.get(i % 3).publish(b -> b.topicArn(topic).message(body));
            awaitDepth(queues.get(0), i + 1, GRACE_MILLIS + MARGIN_MILLIS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);
            System.out.println("[fanout] publish " + i + " without pollers on the leader's node reached the queue in "
                    + tookMillis + " ms");
            bodies.add(body);
        }
        assertEquals(counted(bodies), drain(queues.get(0)), "each copy once");
    }

    /**
     * REVIEW (review17a), expected to FAIL on fandup17: a backlog on a topic without pollers on the leader's node. The
     * other nodes' pollers each take at most one batch of 10 per grace period (a read, 2 s, a read again, a claim of
     * 10), so with 4 pollers a node such a topic drains at about 20-40 messages a second however fast it is published;
     * on main's code every node's pollers proposed at once. 400 publishes (PublishBatch of 10) must all be in the
     * subscribed queue within the grace period and a margin after the last publish was acknowledged.
     */
    @Test
    @Order(4) // after the tests that expect absolute poller counts (this one adds a topic), before n1 is closed
    void aBacklogOnATopicWithoutPollersOnTheLeadersNodeDrainsSoonAfterThePublishes() throws Exception {
        leadFromFirstNode();
        List<Integer> pollersBefore = nodes.stream().map(ClusterPublishEntryCountIT::waiting).toList();
        List<String> queues = new ArrayList<>();
        String topic = topicWithQueues("backlog", 1, queues);
        awaitPollers(List.of(LEADER_WORKERS, pollersBefore.get(1) + POLLERS, pollersBefore.get(2) + POLLERS));
        Thread.sleep(1_500);
        assertEquals(LEADER_WORKERS, waiting(nodes.get(0)), "n1 runs no poller of the backlog topic");
        Map<String, Long> before = commands();
        int publishes = 400;
        long started = System.nanoTime();
        for (int batch = 0; batch < publishes / 10; batch++) {
            int first = batch * 10;
            List<software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry> entries = new ArrayList<>();
            for (int i = first; i < first + 10; i++) {
                String body = "backlog-" + i;
                entries.add(software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry.builder()
                        .id("e" + i).message(body).build());
            }
            var response = sns.get(1 + batch % 2).publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries));
            assertTrue(response.failed().isEmpty(), response.failed().toString());
        }
        long publishedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long acked = System.nanoTime();
        awaitDepth(queues.get(0), publishes, TimeUnit.SECONDS.toMillis(120));
        long drainedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acked);
        Thread.sleep(GRACE_MILLIS + 1_000);
        Map<String, Long> spent = QueueCommandCounts.difference(before, commands());
        System.out.println("[review] " + publishes + " publishes (PublishBatch) to a topic without pollers on the leader's"
                + " node: published in " + publishedMillis + " ms, all in the queue " + drainedMillis
                + " ms after the last publish; commands " + spent);
        Map<String, Integer> received = drain(queues.get(0));
        assertEquals(publishes, received.size(), "every body arrived");
        assertTrue(drainedMillis <= GRACE_MILLIS + 3_000, "drained " + drainedMillis + " ms after the last publish");
    }

    /**
     * REVIEW (review17a), a measurement: a burst on a topic with pollers on every node (4 threads, PublishBatch of 10
     * over the three nodes, 400 publishes): the commands it takes and that each copy arrives once. Prints; asserts only
     * delivery once each.
     */
    @Test
    @Order(2)
    void aBurstOfBatchPublishesToAPolledTopicIsCountedAndArrivesOnceEach() throws Exception {
        leadFromFirstNode();
        awaitPollers(List.of(LEADER_WORKERS, 2 * POLLERS, 2 * POLLERS));
        String queue = oneSubscriberQueues.get(0);
        drain(queue);
        Map<String, Long> before = commands();
        int threads = 4;
        int batchesEach = 10;
        java.util.concurrent.ExecutorService publishers = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(publishers.submit(() -> {
                for (int batch = 0; batch < batchesEach; batch++) {
                    List<software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry> entries = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        entries.add(software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry.builder()
                                .id("e" + i).message("burst-" + thread + "-" + batch + "-" + i).build());
                    }
                    var response = sns.get((thread + batch) % 3).publishBatch(b -> b.topicArn(oneSubscriberTopic)
                            .publishBatchRequestEntries(entries));
                    assertTrue(response.failed().isEmpty(), response.failed().toString());
                }
                return null;
            }));
        }
        for (java.util.concurrent.Future<?> each : done) {
            each.get();
        }
        publishers.shutdown();
        long publishedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        int publishes = threads * batchesEach * 10;
        long acked = System.nanoTime();
        awaitDepth(queue, publishes, TimeUnit.SECONDS.toMillis(60));
        long drainedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acked);
        Thread.sleep(GRACE_MILLIS + 1_000);
        awaitPollers(List.of(LEADER_WORKERS, 2 * POLLERS, 2 * POLLERS));
        Map<String, Long> spent = QueueCommandCounts.difference(before, commands());
        System.out.println("[review] burst of " + publishes + " publishes (" + threads + " threads, PublishBatch) to a topic"
                + " polled on every node: published in " + publishedMillis + " ms, in the queue " + drainedMillis
                + " ms after the last publish; commands " + spent);
        Map<String, Integer> received = drain(queue);
        assertEquals(publishes, received.size(), "every body arrived");
        assertTrue(received.values().stream().allMatch(count -> count == 1), "each once: " + received);
    }

    /** Leadership moves from n1 to n2 in the middle of the publishes: every copy arrives, and once. */
    @Test
    @Order(4)
    void publishesAcrossALeaderChangeArriveOnceEach() throws Exception {
        leadFromFirstNode();
        String queue = oneSubscriberQueues.get(0);
        drain(queue); // what an earlier test that failed left
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < PUBLISHES; i++) {
            if (i == PUBLISHES / 2) {
                nodes.get(0).node().dataGroup(0).transferLeadership("n2", Duration.ofSeconds(20));
            }
            String body = "moved-" + i;
            sns.get(i % 3).publish(b -> b.topicArn(oneSubscriberTopic).message(body));
            bodies.add(body);
        }
        awaitDepth(queue, PUBLISHES, TimeUnit.SECONDS.toMillis(30));
        assertEquals(counted(bodies), drain(queue), "each copy once");
    }

    /** n1, the leader, stops: n2 and n3 elect one of them, whose pollers take over; every copy arrives, and once. */
    @Test
    @Order(5)
    void publishesWhileTheLeadersNodeIsDownArriveOnceEach() throws Exception {
        leadFromFirstNode();
        String queue = oneSubscriberQueues.get(0);
        drain(queue);
        nodes.get(0).close();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String body = "n1-down-" + i;
            publishRetried(sns.get(1 + i % 2), oneSubscriberTopic, body);
            bodies.add(body);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Integer> received = new TreeMap<>();
        while (received.size() < bodies.size() && System.nanoTime() < deadline) {
            drain(queue).forEach((body, count) -> received.merge(body, count, Integer::sum));
        }
        assertEquals(counted(bodies), received, "each copy once");
    }

    /** Publishes, again while the two nodes left elect a leader (a publish is acknowledged only once it is stored). */
    private static void publishRetried(SnsClient on, String topic, String body) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                on.publish(b -> b.topicArn(topic).message(body));
                return;
            } catch (software.amazon.awssdk.services.sns.model.SnsException unavailable) {
                if (System.nanoTime() > deadline) {
                    throw unavailable;
                }
                System.out.println("[fanout] publish refused while n1 is down, retried: " + unavailable.getMessage());
                Thread.sleep(200);
            }
        }
    }

    private static void assertPublishesTakeAtMostTwoCommandsAndArriveOnce(String name, String topic,
            List<String> queues) throws Exception {
        leadFromFirstNode();
        awaitPollers(List.of(LEADER_WORKERS, 2 * POLLERS, 2 * POLLERS));
        Map<String, Long> before = commands();
        long entriesBefore = appliedEntries();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < PUBLISHES; i++) {
            String body = name + "-" + i;
            sns.get(i % 3).publish(b -> b.topicArn(topic).message(body));
            bodies.add(body);
        }
        for (String queue : queues) {
            awaitDepth(queue, PUBLISHES, TimeUnit.SECONDS.toMillis(30));
        }
        // Any other node's fan-out of the same messages would come after the grace period: count after it.
        Thread.sleep(GRACE_MILLIS + 1_000);
        awaitPollers(List.of(LEADER_WORKERS, 2 * POLLERS, 2 * POLLERS));
        Map<String, Long> spent = QueueCommandCounts.difference(before, commands());
        spent.remove("record_usage"); // edge-usage flushes, a timer's, billing many deliveries at once
        long total = spent.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("[cost] " + PUBLISHES + " publishes to " + queues.size() + " sqs subscribers, 3 nodes: "
                + "commands " + spent + " (" + (double) total / PUBLISHES + " a publish), "
                + (appliedEntries() - entriesBefore) + " Raft entries of the data group");
        assertEquals(PUBLISHES, spent.getOrDefault("send", 0L), spent.toString());
        assertTrue(total <= 2L * PUBLISHES, "at most 2 commands a publish: " + spent);
        for (String queue : queues) {
            assertEquals(counted(bodies), drain(queue), "each copy once in " + queue);
        }
    }

    /** A topic subscribed by {@code count} new raw queues, whose URLs go to {@code queues}. */
    private static String topicWithQueues(String name, int count, List<String> queues) throws Exception {
        String topic = sns.get(0).createTopic(b -> b.name(name)).topicArn();
        for (int i = 0; i < count; i++) {
            String queue = name + "-q" + i;
            queues.add(sqs.get(0).createQueue(b -> b.queueName(queue)).queueUrl());
            sns.get(0).subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(ACCOUNT_ARN + queue)
                    .attributes(Map.of("RawMessageDelivery", "true")));
        }
        return topic;
    }

    /** Makes n1 the data group's leader (its preferred one, where the leadership balancer keeps it). */
    private static void leadFromFirstNode() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!nodes.get(0).node().isLeader(0)) {
            assertTrue(System.nanoTime() < deadline, "n1 does not lead the data group");
            try {
                nodes.get(0).node().dataGroup(0).transferLeadership("n1", Duration.ofSeconds(10));
            } catch (java.io.IOException refused) {
                Thread.sleep(200); // a transfer right after an election is refused: the next try succeeds
            }
            Thread.sleep(100);
        }
    }

    /** Waits until the nodes' long polls waiting (their topics' fanout pollers at the outboxes) are {@code expected}. */
    private static void awaitPollers(List<Integer> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Integer> actual = List.of();
        while (System.nanoTime() < deadline) {
            actual = nodes.stream().map(ClusterPublishEntryCountIT::waiting).toList();
            if (actual.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        assertEquals(expected, actual, "long polls waiting on n1, n2, n3");
    }

    private static int waiting(SluiceServer node) {
        return (int) node.meters().get("sluice.sqs.receive.waiters").gauge().value();
    }

    private static void awaitDepth(String queue, int depth, long withinMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(withinMillis);
        int found = 0;
        while (System.nanoTime() < deadline) {
            found = Integer.parseInt(sqs.get(0).getQueueAttributes(b -> b.queueUrl(queue)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            if (found >= depth) {
                return;
            }
            Thread.sleep(20);
        }
        assertEquals(depth, found, "copies in " + queue + " within " + withinMillis + " ms");
    }

    /** Receives and deletes until the queue answers empty; the deliveries per body. */
    private static Map<String, Integer> drain(String queue) {
        Map<String, Integer> deliveries = new TreeMap<>();
        SqsClient on = sqs.get(1); // n2: up in every test
        while (true) {
            var batch = on.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (batch.isEmpty()) {
                return deliveries;
            }
            batch.forEach(message -> {
                deliveries.merge(message.body(), 1, Integer::sum);
                on.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
            });
        }
    }

    private static Map<String, Integer> counted(List<String> bodies) {
        Map<String, Integer> once = new TreeMap<>();
        bodies.forEach(body -> once.put(body, 1));
        return once;
    }

    private static Map<String, Long> commands() {
        Map<String, Long> sum = new TreeMap<>();
        nodes.forEach(node -> QueueCommandCounts.of(node).forEach((type, count) -> sum.merge(type, count, Long::sum)));
        return sum;
    }

    /** The data group's applied index on n1 (Ratis's own entries, such as commit-index entries, included). */
    private static long appliedEntries() {
        long sum = 0;
        for (Gauge gauge : nodes.get(0).meters().find("sluice.raft.applied.index").gauges()) {
            if (gauge.getId().getTag("group").startsWith("data-")) {
                sum += (long) gauge.value();
            }
        }
        return sum;
    }
}
