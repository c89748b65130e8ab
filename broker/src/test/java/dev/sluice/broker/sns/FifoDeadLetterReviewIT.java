package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.SnsException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Review of the fifodlq change (issue 16): FIFO topics' held groups and their subscriptions' dead-letter queues,
 * through the AWS SDK v2 clients, on a clock that runs in real time from an offset the test moves forward.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FifoDeadLetterReviewIT {
    private static final String ACCOUNT_ARN = "arn:aws:sqs:us-east-1:000000000000:";

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
     * FAILS on integ15 (the proof): a FIFO topic's held message stays in the outbox under its first send's 14-day
     * retention, while SNS's 100,015 attempts take about 23 days. After 15 days of refusals the refused copy is neither
     * in the subscribed queue (healed by then), nor in the subscription's dead-letter queue, nor in the outbox; and the
     * group's next message, published and acknowledged behind it, never reaches the healthy subscriber either.
     */
    @Test
    void aFifoGroupHeldLongerThanTheOutboxRetentionLosesNoAcknowledgedPublish() throws Exception {
        heldForDaysThenHealed("aged", 15);
    }

    /** The control: the same scenario held one day (within the outbox's retention) passes on integ15. */
    @Test
    void aFifoGroupHeldForADayLosesNoAcknowledgedPublish() throws Exception {
        heldForDaysThenHealed("day", 1);
    }

    private static void heldForDaysThenHealed(String name, int days) throws Exception {
        String topic = sns.createTopic(b -> b.name(name + ".fifo").attributes(Map.of("FifoTopic", "true"))).topicArn();
        String healthy = fifoQueue(name + "-all.fifo", Map.of());
        String refusing = fifoQueue(name + "-small.fifo", Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"));
        String deadLetters = fifoQueue(name + "-small-dlq.fifo", Map.of());
        subscribe(topic, name + "-all.fifo", null);
        subscribe(topic, name + "-small.fifo", name + "-small-dlq.fifo");
        String big = "big-" + "b".repeat(2_000);
        sns.publish(b -> b.topicArn(topic).messageGroupId("g").messageDeduplicationId(name + "0").message(big));
        assertEquals(List.of(big), drain(healthy, 1, Duration.ofSeconds(20)));
        awaitRetries(name + ".fifo");
        // Published (and acknowledged) while the group is held: it waits in the outbox behind the refused copy.
        sns.publish(b -> b.topicArn(topic).messageGroupId("g").messageDeduplicationId(name + "1").message("after"));
        // Days of refusals (SNS would still be retrying: its policy for queues runs 23 days), then the queue heals.
        clock.offsetMillis.addAndGet(Duration.ofDays(days).toMillis());
        sqs.setQueueAttributes(b -> b.queueUrl(refusing).attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
                "262144")));
        List<String> refusedCopy = new ArrayList<>(drain(refusing, 2, Duration.ofSeconds(45)));
        refusedCopy.addAll(drain(deadLetters, 1, Duration.ofSeconds(1)));
        assertEquals(List.of(big, "after"), refusedCopy,
                "the refused copy, then the group's next message, in the subscribed queue");
        assertEquals(List.of("after"), drain(healthy, 1, Duration.ofSeconds(30)),
                "the group's next message reaches the healthy subscriber");
    }

    /**
     * FAILS on integ15 (the proof): two messages of one group fanned out in one batch; the subscribed FIFO queue refuses
     * the first (over its MaximumMessageSize) and stores the second. The subscriber gets the group's second message
     * before its first (SNS FIFO: each subscription gets a group's messages in publish order). The refused copy comes
     * after it once the queue takes it, or never (dead-lettered after its attempts).
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

    /**
     * FAILS on integ15 (the proof): SNS's dead-letter queues documentation says FIFO topic subscriptions use FIFO
     * queues as their dead-letter queue (standard topic subscriptions standard queues). Sluice accepts a standard queue,
     * and fanout then sends the FIFO topic's copies there without their group ids (the group's order is gone).
     */
    @Test
    void aFifoTopicSubscriptionRefusesAStandardDeadLetterQueue() {
        String topic = sns.createTopic(b -> b.name("mixed-dlq.fifo").attributes(Map.of("FifoTopic", "true")))
                .topicArn();
        fifoQueue("mixed-in.fifo", Map.of());
        sqs.createQueue(b -> b.queueName("mixed-standard-dlq"));
        SnsException refused = assertThrows(SnsException.class, () -> subscribe(topic, "mixed-in.fifo",
                "mixed-standard-dlq"));
        assertEquals("InvalidParameter", refused.awsErrorDetails().errorCode());
    }

    private static String fifoQueue(String name, Map<QueueAttributeName, String> attributes) {
        Map<QueueAttributeName, String> all = new TreeMap<>(attributes);
        all.put(QueueAttributeName.FIFO_QUEUE, "true");
        return sqs.createQueue(b -> b.queueName(name).attributes(all)).queueUrl();
    }

    private static String subscribe(String topic, String name, String deadLetters) {
        Map<String, String> attributes = deadLetters == null ? Map.of("RawMessageDelivery", "true")
                : Map.of("RawMessageDelivery", "true", "RedrivePolicy",
                        "{\"deadLetterTargetArn\":\"" + ACCOUNT_ARN + deadLetters + "\"}");
        return sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(ACCOUNT_ARN + name).attributes(attributes)
                .returnSubscriptionArn(true)).subscriptionArn();
    }

    /** Receives and deletes until {@code expected} messages came or {@code within} passed: their bodies. */
    private static List<String> drain(String url, int expected, Duration within) {
        List<String> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (bodies.size() < expected && System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            for (Message message : messages) {
                bodies.add(message.body());
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return bodies;
    }

    private static double meter(String kind, String topic) {
        Pattern line = Pattern.compile("^sluice_sns_" + kind + "_notifications_total\\{([^}]*)\\} (\\S+)$",
                Pattern.MULTILINE);
        Matcher matcher = line.matcher(server.sluice().meters().scrape());
        while (matcher.find()) {
            if (matcher.group(1).contains("topic=\"" + topic + "\"") && matcher.group(1).contains("protocol=\"sqs\"")) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        return 0;
    }
}
