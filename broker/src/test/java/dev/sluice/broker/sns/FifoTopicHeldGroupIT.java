package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * FIFO topics' held groups and their subscriptions' dead-letter queues (issue 16; first written as an independent
 * review's failing tests), through the AWS SDK v2 clients, on a clock that runs in real time from an offset the test
 * moves forward.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FifoTopicHeldGroupIT {

    /** The system clock plus an offset the test sets: retries still run in real time, days pass at once. */
    private static final class OffsetClock implements InstantSource {
        final AtomicLong offsetMillis = new AtomicLong();

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis());
        }

        @Override
        public long millis() {
            return System.currentTimeMillis() + offsetMillis.get();
        }
    }

    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;
    static SqsClient sqs;
    static final OffsetClock clock = new OffsetClock();

    @BeforeAll
    static void start() throws Exception {
        // Default notify.queueDeliveryAttempts: SNS's 100,015 (about 23 days at 20 s apart).
        server = SqsTestServer.start(data, config -> config, clock);
        sns = SnsClients.client(server.port());
        sqs = server.sqs;
    }

    @AfterAll
    static void stop() {
        if (sns != null) {
            sns.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * A FIFO topic's held message stays in the outbox under its first send's 14-day retention, while SNS's 100,015
     * attempts take about 23 days; past the retention the refused copy and the group's next message (published and
     * acknowledged behind it) were gone (the review's proof). Now the refused copy's attempts count as spent a
     * day before the retention: it goes to the subscription's dead-letter queue and the group moves on. (The review's
     * version jumped 15 days at once, past the retention before fanout could see the message again, and healed the queue
     * in a race with that fanout: no rule can keep a message the outbox already dropped.)
     */
    @Test
    void aFifoGroupHeldLongerThanTheOutboxRetentionLosesNoAcknowledgedPublish() throws Exception {
        heldNearTheRetention("aged", true);
    }

    /**
     * Without a dead-letter queue the refused copy is abandoned for its subscription near the outbox's retention (SNS
     * discards what it cannot deliver), and counted failed; no other subscriber and no later message of its group is lost.
     */
    @Test
    void aFifoGroupHeldNearTheOutboxRetentionWithoutDeadLetterQueueLosesOnlyTheRefusedCopy() throws Exception {
        heldNearTheRetention("nodlq", false);
    }

    private static void heldNearTheRetention(String name, boolean withDeadLetterQueue) throws Exception {
        HeldGroup group = HeldGroup.held(name, withDeadLetterQueue);
        double failedBefore = meter("failed", name + ".fifo");
        // 13 days and an hour of refusals: past the give-up point (a day before the 14-day retention), within it.
        clock.offsetMillis.addAndGet(Duration.ofDays(13).plusHours(1).toMillis());
        assertEquals(List.of("after"), drain(group.refusing(), 1, Duration.ofSeconds(45)),
                "the group's next message, once the refused copy was given up on");
        assertEquals(withDeadLetterQueue ? List.of(HeldGroup.BIG) : List.of(),
                drain(group.deadLetters(), 1, Duration.ofSeconds(1)),
                "the refused copy in the dead-letter queue, if the subscription has one");
        assertEquals(List.of("after"), drain(group.healthy(), 1, Duration.ofSeconds(30)),
                "the group's next message reaches the healthy subscriber");
        assertTrue(meter("failed", name + ".fifo") > failedBefore, "the last attempt counted failed");
        // Past the retention now: the outbox holds nothing of the group to send again.
        clock.offsetMillis.addAndGet(Duration.ofDays(2).toMillis());
        sqs.setQueueAttributes(b -> b.queueUrl(group.refusing()).attributes(Map.of(
                QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144")));
        assertEquals(List.of(), drain(group.refusing(), 1, Duration.ofSeconds(2)), "no copy comes again");
    }

    /** A FIFO topic's group held by one refused copy, with a healthy and a refusing subscribed queue (and its DLQ). */
    private record HeldGroup(String healthy, String refusing, String deadLetters) {
        static final String BIG = "big-" + "b".repeat(2_000);

        /**
         * Publishes a message over the refusing queue's size to group "g", waits until the healthy queue got it and the
         * refused copy was retried, then publishes (and has acknowledged) "after" to the held group: it waits in the
         * outbox behind the refused copy.
         */
        static HeldGroup held(String name, boolean withDeadLetterQueue) throws InterruptedException {
            String topic = sns.createTopic(b -> b.name(name + ".fifo").attributes(Map.of("FifoTopic", "true")))
                    .topicArn();
            HeldGroup group = new HeldGroup(fifoQueue(name + "-all.fifo", Map.of()),
                    fifoQueue(name + "-small.fifo", Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024")),
                    fifoQueue(name + "-small-dlq.fifo", Map.of()));
            subscribe(topic, name + "-all.fifo", null);
            subscribe(topic, name + "-small.fifo", withDeadLetterQueue ? name + "-small-dlq.fifo" : null);
            sns.publish(b -> b.topicArn(topic).messageGroupId("g").messageDeduplicationId(name + "0").message(BIG));
            assertEquals(List.of(BIG), drain(group.healthy(), 1, Duration.ofSeconds(20)));
            awaitRetries(name + ".fifo");
            sns.publish(b -> b.topicArn(topic).messageGroupId("g").messageDeduplicationId(name + "1").message("after"));
            return group;
        }
    }

    /** Held one day (well within the outbox's retention): the refused copy arrives once its queue takes it. */
    @Test
    void aFifoGroupHeldForADayLosesNoAcknowledgedPublish() throws Exception {
        heldForDaysThenHealed("day", 1);
    }

    private static void heldForDaysThenHealed(String name, int days) throws Exception {
        HeldGroup group = HeldGroup.held(name, true);
        // Days of refusals (SNS would still be retrying: its policy for queues runs 23 days), then the queue heals.
        clock.offsetMillis.addAndGet(Duration.ofDays(days).toMillis());
        sqs.setQueueAttributes(b -> b.queueUrl(group.refusing()).attributes(Map.of(
                QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "262144")));
        List<String> refusedCopy = new ArrayList<>(drain(group.refusing(), 2, Duration.ofSeconds(45)));
        refusedCopy.addAll(drain(group.deadLetters(), 1, Duration.ofSeconds(1)));
        assertEquals(List.of(HeldGroup.BIG, "after"), refusedCopy,
                "the refused copy, then the group's next message, in the subscribed queue");
        assertEquals(List.of("after"), drain(group.healthy(), 1, Duration.ofSeconds(30)),
                "the group's next message reaches the healthy subscriber");
    }

    /**
     * Two messages of one group fanned out together; the subscribed FIFO queue refuses the first (over its
     * MaximumMessageSize) and would store the second. SNS FIFO gives each subscription a group's messages in publish
     * order, so the second waits for the first (it was stored first before the review's fix).
     */
    @Test
    void aPartlyRefusedFifoBatchDoesNotDeliverAGroupsLaterMessageBeforeTheRefusedOne() throws Exception {
        String topic = sns.createTopic(b -> b.name("order.fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        String refusing = fifoQueue("order-small.fifo", Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"));
        subscribe(topic, "order-small.fifo", null);
        String big = "big-" + "b".repeat(2_000);
        // One PublishBatch: both land in the outbox together and are fanned out in one SendMessageBatch.
        sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(
                e -> e.id("e0").messageGroupId("g").messageDeduplicationId("o0").message(big),
                e -> e.id("e1").messageGroupId("g").messageDeduplicationId("o1").message("after")));
        awaitRetries("order.fifo");
        sqs.setQueueAttributes(b -> b.queueUrl(refusing).attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
                "262144")));
        assertEquals(List.of(big, "after"), drain(refusing, 2, Duration.ofSeconds(30)), "publish order within the group");
    }

    /** Waits until the topic's refused copy was tried and retried three times at once (SNS's policy for queues). */
    private static void awaitRetries(String topicName) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (meter("failed", topicName) < 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(meter("failed", topicName) >= 4, "the refused copy was not retried");
    }

    private static String fifoQueue(String name, Map<QueueAttributeName, String> attributes) {
        return SnsQueueFixture.fifoQueue(sqs, name, attributes);
    }

    private static String subscribe(String topic, String name, String deadLetters) {
        return SnsQueueFixture.subscribe(sns, topic, name, deadLetters);
    }

    /** Receives and deletes until {@code expected} messages came or {@code within} passed: their bodies. */
    private static List<String> drain(String url, int expected, Duration within) {
        return SnsQueueFixture.drain(sqs, url, expected, within, false);
    }

    private static double meter(String kind, String topic) {
        return SnsQueueFixture.sqsNotifications(server, kind, topic);
    }
}
