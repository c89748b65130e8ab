package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * What one SNS Publish costs in Raft log entries end to end, counted through the {@code sluice.raft.applied.index}
 * gauges of {@code /metrics} (every data group's last applied index, summed): from before the publish until its copies are
 * in every subscribed queue, the topic's outbox is empty and the log is quiet again. The one-node server runs
 * nothing else meanwhile: the test's own reads (queue depths) are answered from memory and append nothing.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PublishEntryCountIT {
    /** Longer than the edge-usage flush period (2 s): the count includes the flush that bills the deliveries. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(2_500);
    @TempDir
    static Path data;
    static SqsTestServer server;
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
     * The outbox send, one receive (the topic's other fanout pollers wait their turn: no empty receives), the copy's
     * send, the outbox delete, and the edge-usage flush that bills the delivery.
     */
    @Test
    void onePublishToOneQueueSubscriberTakesOneReceiveAndNoEmptyOnes() throws Exception {
        Cost cost = costOfOnePublish("one", 1);
        assertEquals(Map.of("send", 1L + 1, "receive", 1L, "delete", 1L, "record_usage", 1L), cost.commands(),
                cost.toString());
    }

    @Test
    void onePublishToThreeQueueSubscribersTakesOneSendPerSubscriber() throws Exception {
        Cost cost = costOfOnePublish("three", 3);
        assertEquals(Map.of("send", 1L + 3, "receive", 1L, "delete", 1L, "record_usage", 1L), cost.commands(),
                cost.toString());
    }

    /** Raft entries of the data groups, and queue commands by type, that one publish took. */
    private record Cost(String what, long entries, Map<String, Long> commands) {
        @Override
        public String toString() {
            return what + ": " + entries + " Raft entries, commands " + commands;
        }
    }

    private static Cost costOfOnePublish(String name, int subscribers) throws Exception {
        Map<String, Long> commandsBefore = new java.util.TreeMap<>();
        long entries = entriesOfOnePublish(name, subscribers, commandsBefore);
        Map<String, Long> commands = new java.util.TreeMap<>();
        commands().forEach((type, count) -> {
            long delta = count - commandsBefore.getOrDefault(type, 0L);
            if (delta != 0) {
                commands.put(type, delta);
            }
        });
        Cost cost = new Cost("one publish to " + subscribers + " sqs subscribers", entries, commands);
        System.out.println("[cost] " + cost);
        return cost;
    }

    /** The {@code sluice_queue_commands_total} counters of {@code /metrics}, by type, summed over the data groups. */
    private static Map<String, Long> commands() {
        Map<String, Long> byType = new java.util.TreeMap<>();
        java.util.regex.Matcher line = java.util.regex.Pattern.compile(
                "(?m)^sluice_queue_commands_total\\{group=\"[^\"]+\",type=\"([a-z_]+)\"} ([0-9.E]+)$")
                .matcher(server.server.meters().scrape());
        while (line.find()) {
            byType.merge(line.group(1), (long) Double.parseDouble(line.group(2)), Long::sum);
        }
        return byType;
    }

    /**
     * Subscribes {@code subscribers} raw queues, warms the path up with one publish, then counts a second one: the
     * data groups' Raft entries it took (returned) and the command counters before it (into {@code commandsBefore}).
     */
    private static long entriesOfOnePublish(String name, int subscribers, Map<String, Long> commandsBefore)
            throws Exception {
        String topic = sns.createTopic(b -> b.name(name)).topicArn();
        List<String> queues = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            String queue = name + "-q" + i;
            queues.add(server.sqs.createQueue(b -> b.queueName(queue)).queueUrl());
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint("arn:aws:sqs:us-east-1:000000000000:" + queue)
                    .attributes(Map.of("RawMessageDelivery", "true")));
        }
        sns.publish(b -> b.topicArn(topic).message("warm-up"));
        awaitDepth(queues, 1);
        long before = awaitQuiet();
        commandsBefore.putAll(commands());
        sns.publish(b -> b.topicArn(topic).message("counted"));
        awaitDepth(queues, 2);
        return awaitQuiet() - before;
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

    /**
     * The data groups' summed applied index once it stayed the same for {@link #QUIET_NANOS}. The catalog group is
     * left out: a publish and its fanout write nothing there (the node's own bookkeeping does, on its own clock).
     */
    private static long awaitQuiet() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = appliedEntries();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < QUIET_NANOS) {
            assertTrue(System.nanoTime() < deadline, "the log never went quiet");
            Thread.sleep(50);
            long now = appliedEntries();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
        return last;
    }

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
