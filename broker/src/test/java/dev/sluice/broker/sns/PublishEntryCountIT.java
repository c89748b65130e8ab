package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.QueueCommandCounts;
import dev.sluice.broker.sqs.SqsTestServer;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What one SNS Publish costs in log commands end to end, counted through {@code sluice_queue_commands_total} of
 * {@code /metrics} (with the data groups' Raft entries, {@code sluice_raft_applied_index}, printed beside): from before
 * the publish until its copies are in every subscribed queue and the fan-out that put them there applied. The one-node server runs
 * nothing else meanwhile: the test's own reads (queue depths, metrics) append nothing. Edge-usage flushes (a timer's,
 * every 2 s, billing many deliveries at once) are left out of the comparison. The two commands hold when the subscribed
 * queues share the outbox's data group, as they always do on a node of one data group; a subscriber's queue in another
 * group takes the receive loop (receive, a send per subscription, delete), whose send keeps that queue's rules.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PublishEntryCountIT {
    /** After the fan-out, how long extra commands (empty receives, say) get to show up before the count is taken. */
    private static final long STRAGGLER_MILLIS = 300;
    @TempDir
    static Path data;
    static SqsTestServer server;
    /** The notify default fanoutPollersPerTopic. */
    private static final int POLLERS = 4;
    static SnsClient sns;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data);
        sns = SnsClients.client(server.port());
    }

    @AfterAll
    static void stop() {
        sns.close();
        server.close();
    }

    /**
     * The outbox send and one fan-out command (feature level 4): of the topic's fanout pollers waiting at the empty
     * outbox (4 on this node) the publish wakes one, which reads the outbox at the leader (no entry) and proposes the
     * fan-out that stores the copy, bills it and removes the outbox message in one apply.
     */
    @Test
    void onePublishToOneQueueSubscriberTakesTheOutboxSendAndOneFanOut() throws Exception {
        Map<String, Long> commands = commandsOfOnePublish("one", 1);
        assertEquals(Map.of("send", 1L, "fan_out", 1L), commands);
        assertTrue(commands.values().stream().mapToLong(Long::longValue).sum() <= 2, commands.toString());
    }

    @Test
    void onePublishToThreeQueueSubscribersTakesTheOutboxSendAndOneFanOut() throws Exception {
        Map<String, Long> commands = commandsOfOnePublish("three", 3);
        assertEquals(Map.of("send", 1L, "fan_out", 1L), commands);
        assertTrue(commands.values().stream().mapToLong(Long::longValue).sum() <= 2, commands.toString());
    }

    /**
     * Two data groups: the outbox shares one with at most one of two queues placed least-loaded, so the publish's item
     * has a copy for another group's queue. The fan-out in one entry leaves it (no fan_out command) to the receive loop,
     * whose sends keep each queue's DelaySeconds: both copies arrive delayed, the remote one too.
     */
    @Test
    void aPublishToAQueueInAnotherDataGroupTakesTheReceiveLoopWhichKeepsTheQueuesDelay(@TempDir Path twoGroups)
            throws Exception {
        try (SqsTestServer spread = SqsTestServer.start(twoGroups,
                config -> config.withRaft(config.raft().withDataGroups(2)));
                SnsClient spreadSns = SnsClients.client(spread.port())) {
            String topic = spreadSns.createTopic(b -> b.name("spread")).topicArn();
            List<String> queues = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String queue = "spread-q" + i;
                queues.add(spread.sqs.createQueue(b -> b.queueName(queue)
                        .attributes(Map.of(QueueAttributeName.DELAY_SECONDS, "60"))).queueUrl());
                spreadSns.subscribe(b -> b.topicArn(topic).protocol("sqs")
                        .endpoint("arn:aws:sqs:us-east-1:000000000000:" + queue)
                        .attributes(Map.of("RawMessageDelivery", "true")));
            }
            Map<String, Long> before = QueueCommandCounts.of(spread.server);

            spreadSns.publish(b -> b.topicArn(topic).message("spread"));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (String queue : queues) {
                while (count(spread, queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED) < 1) {
                    assertEquals(0, count(spread, queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                            "a copy visible at once in " + queue + ", whose DelaySeconds is 60");
                    assertTrue(System.nanoTime() < deadline, "no copy reached " + queue);
                    Thread.sleep(20);
                }
                assertEquals(0, count(spread, queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), queue);
            }
            Map<String, Long> spent = QueueCommandCounts.difference(before, QueueCommandCounts.of(spread.server));
            System.out.println("[cost] one publish to 2 sqs subscribers in 2 data groups: commands " + spent);
            assertEquals(0L, spent.getOrDefault("fan_out", 0L), spent.toString());
        }
    }

    private static int count(SqsTestServer on, String queue, QueueAttributeName attribute) {
        return Integer.parseInt(on.sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(attribute))
                .attributes().get(attribute));
    }

    /** Subscribes {@code subscribers} raw queues, warms the path up with one publish, then counts a second one. */
    private static Map<String, Long> commandsOfOnePublish(String name, int subscribers) throws Exception {
        double waitingBefore = waiting();
        String topic = sns.createTopic(b -> b.name(name)).topicArn();
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            String queue = name + "-q" + i;
            queues.add(server.sqs.createQueue(b -> b.queueName(queue)).queueUrl());
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:" + queue)
                    .attributes(Map.of("RawMessageDelivery", "true")));
        }
        server.awaitWaiters(waitingBefore + POLLERS);
        Map<String, Long> beforeWarmUp = commands();
        sns.publish(b -> b.topicArn(topic).message("warm-up"));
        awaitDepth(queues, 1);
        awaitFanOuts(beforeWarmUp, 1);
        // Every poller of the topic back at the empty outbox: one still on its way there would receive on its own.
        server.awaitWaiters(waitingBefore + POLLERS);
        Map<String, Long> before = commands();
        long entriesBefore = appliedEntries();
        sns.publish(b -> b.topicArn(topic).message("counted"));
        awaitDepth(queues, 2);
        awaitFanOuts(before, 1);
        Thread.sleep(STRAGGLER_MILLIS);
        Map<String, Long> spent = difference(before, commands());
        spent.remove("record_usage");
        System.out.println("[cost] one publish to " + subscribers + " sqs subscribers: commands " + spent + ", "
                + (appliedEntries() - entriesBefore) + " Raft entries of the data groups");
        return spent;
    }

    /** Waits until {@code fanOuts} more fan-out commands applied than in {@code before}: the fanout's one step. */
    private static void awaitFanOuts(Map<String, Long> before, long fanOuts) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (difference(before, commands()).getOrDefault("fan_out", 0L) < fanOuts) {
            assertTrue(System.nanoTime() < deadline, "the fan-out never applied");
            Thread.sleep(20);
        }
    }

    private static void awaitDepth(List<String> queues, int depth) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (String queue : queues) {
            while (depthOf(queue) < depth) {
                assertTrue(System.nanoTime() < deadline, "no copy reached " + queue);
                Thread.sleep(20);
            }
            assertEquals(depth, depthOf(queue), "copies in " + queue);
        }
    }

    private static int depthOf(String queue) {
        return Integer.parseInt(server.sqs.getQueueAttributes(b -> b.queueUrl(queue)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** Long polls waiting on the server (the fanout pollers at their outboxes). */
    private static double waiting() {
        return server.server.meters().get("sluice.sqs.receive.waiters").gauge().value();
    }

    private static Map<String, Long> commands() {
        return QueueCommandCounts.of(server.server);
    }

    private static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        return QueueCommandCounts.difference(before, after);
    }

    /** The data groups' applied indexes, summed (the catalog group's own bookkeeping left out). */
    private static long appliedEntries() {
        long sum = 0;
        for (Gauge gauge : server.server.meters().find("sluice.raft.applied.index").gauges()) {
            if (gauge.getId().getTag("group").startsWith("data-")) {
                sum += (long) gauge.value();
            }
        }
        return sum;
    }
}
