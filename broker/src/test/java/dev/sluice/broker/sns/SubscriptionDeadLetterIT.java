package dev.sluice.broker.sns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Copies an sqs subscription's queue cannot store, through the AWS SDK v2 SNS and SQS clients: after SNS's attempts
 * (here 3, all at once by SNS's policy for queues; a missing queue at once) they end in the subscription's dead-letter
 * queue, for FIFO topics (order kept per group for every other subscriber) and for the refused part of a batch; without
 * a dead-letter queue they are retried, never dropped.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SubscriptionDeadLetterIT {
    private static final String ACCOUNT_ARN = SnsQueueFixture.ACCOUNT_ARN;
    @TempDir
    static Path data;
    static SqsTestServer server;
    static SnsClient sns;
    static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, config -> config.withNotifications(
                config.notifications().withQueueDeliveryAttempts(3)));
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

    @Test
    void aFifoTopicDeadLettersTheCopiesOfAMissingQueueAndARefusedCopyInGroupOrderWhileAnotherSubscriberGetsEveryMessage() {
        String topic = fifoTopic("ledger.fifo");
        String everything = fifoQueue("ledger-all.fifo", Map.of());
        String small = fifoQueue("ledger-small.fifo", Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"));
        String smallDeadLetters = fifoQueue("ledger-small-dlq.fifo", Map.of());
        String goneDeadLetters = fifoQueue("ledger-gone-dlq.fifo", Map.of());
        subscribe(topic, "ledger-all.fifo", null);
        subscribe(topic, "ledger-small.fifo", "ledger-small-dlq.fifo");
        subscribe(topic, "ledger-gone.fifo", "ledger-gone-dlq.fifo");
        String big = "big-" + "b".repeat(2_000);
        // g1: the big one sits between two that every queue takes; g2 follows.
        List<String[]> published = List.of(new String[] {"g1", "g1-first"}, new String[] {"g1", big},
                new String[] {"g1", "g1-last"}, new String[] {"g2", "g2-only"});
        for (int i = 0; i < published.size(); i++) {
            String[] message = published.get(i);
            String id = "p" + i;
            sns.publish(b -> b.topicArn(topic).messageGroupId(message[0]).messageDeduplicationId(id).message(message[1]));
        }

        Map<String, List<String>> all = Map.of("g1", List.of("g1-first", big, "g1-last"), "g2", List.of("g2-only"));
        assertEquals(all, byGroup(drain(everything, 4)), "the other subscriber gets every message, in group order");
        assertEquals(all, byGroup(drain(goneDeadLetters, 4)), "a missing queue's copies go to its dead-letter queue");
        assertEquals(Map.of("g1", List.of(big)), byGroup(drain(smallDeadLetters, 1)),
                "the copy the queue refused goes to its dead-letter queue after its attempts");
        assertEquals(Map.of("g1", List.of("g1-first", "g1-last"), "g2", List.of("g2-only")), byGroup(drain(small, 3)));
        assertEmpty(everything, small, smallDeadLetters, goneDeadLetters);
        // The held group's retries go to the subscription still owed only: each dead letter is sent, and counted, once.
        assertEquals(5.0, meter("dead_lettered", "ledger.fifo"));
    }

    @Test
    void aSubscriptionsDeadLetterQueueIsOfItsTopicsKindOrTheSubscribeAndTheAttributeChangeAreRefused() {
        String fifo = fifoTopic("kinds.fifo");
        String standard = sns.createTopic(b -> b.name("kinds")).topicArn();
        fifoQueue("kinds-target.fifo", Map.of());
        fifoQueue("kinds-dlq.fifo", Map.of());
        sqs.createQueue(b -> b.queueName("kinds-target"));
        sqs.createQueue(b -> b.queueName("kinds-dlq"));
        InvalidParameterException fifoRefused = assertThrows(InvalidParameterException.class,
                () -> sns.subscribe(b -> b.topicArn(fifo).protocol("sqs").endpoint(ACCOUNT_ARN + "kinds-target.fifo")
                        .attributes(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + ACCOUNT_ARN + "kinds-dlq\"}"))));
        assertTrue(fifoRefused.getMessage().contains("must use a FIFO queue as DLQ"), fifoRefused.getMessage());
        assertThrows(InvalidParameterException.class,
                () -> sns.subscribe(b -> b.topicArn(standard).protocol("sqs").endpoint(ACCOUNT_ARN + "kinds-target")
                        .attributes(Map.of("RedrivePolicy", "{\"deadLetterTargetArn\":\"" + ACCOUNT_ARN + "kinds-dlq.fifo\"}"))));
        assertEquals(0, sns.listSubscriptionsByTopic(b -> b.topicArn(fifo)).subscriptions().size()
                + sns.listSubscriptionsByTopic(b -> b.topicArn(standard)).subscriptions().size(), "nothing subscribed");

        String subscription = subscribe(fifo, "kinds-target.fifo", "kinds-dlq.fifo");
        assertThrows(InvalidParameterException.class, () -> sns.setSubscriptionAttributes(b -> b
                .subscriptionArn(subscription).attributeName("RedrivePolicy")
                .attributeValue("{\"deadLetterTargetArn\":\"" + ACCOUNT_ARN + "kinds-dlq\"}")));
        assertTrue(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes().get("RedrivePolicy")
                .contains("kinds-dlq.fifo"), "the refused change left the policy as it was");
    }

    @Test
    void aFifoTopicWithoutADeadLetterQueueRetriesAMissingQueuesCopiesUntilTheQueueExistsAndLosesNone() {
        String topic = fifoTopic("late.fifo");
        String early = fifoQueue("late-early.fifo", Map.of());
        subscribe(topic, "late-early.fifo", null);
        subscribe(topic, "late-arriving.fifo", null);
        for (int i = 0; i < 3; i++) {
            String body = "late-" + i;
            sns.publish(b -> b.topicArn(topic).messageGroupId("g").messageDeduplicationId(body).message(body));
        }
        assertEquals(Map.of("g", List.of("late-0", "late-1", "late-2")), byGroup(drain(early, 3)));
        String arrived = fifoQueue("late-arriving.fifo", Map.of());
        // SNS's policy retries at once three times, then 1 s apart, backing off toward 20 s: well within this wait.
        assertEquals(Map.of("g", List.of("late-0", "late-1", "late-2")), byGroup(drain(arrived, 3)));
        assertEmpty(early);
    }

    @Test
    void aHeldFifoGroupIsRetriedOnlyToTheSubscriptionStillOwedAndArrivesOnceItsQueueTakesIt() throws Exception {
        String topic = fifoTopic("held.fifo");
        String taking = fifoQueue("held-all.fifo", Map.of());
        String refusing = fifoQueue("held-small.fifo", Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"));
        subscribe(topic, "held-all.fifo", null);
        subscribe(topic, "held-small.fifo", null);
        String big = "big-" + "b".repeat(2_000);
        sns.publish(b -> b.topicArn(topic).messageGroupId("g").messageDeduplicationId("h0").message(big));
        assertEquals(Map.of("g", List.of(big)), byGroup(drain(taking, 1)));
        // The refused copy is tried at once and retried three times at once; then its queue takes larger messages.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (meter("failed", "held.fifo") < 4 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(meter("failed", "held.fifo") >= 4, "the refused copy was not retried");
        sqs.setQueueAttributes(b -> b.queueUrl(refusing).attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
                "262144")));
        assertEquals(Map.of("g", List.of(big)), byGroup(drain(refusing, 1)));
        assertEmpty(taking, refusing);
        // One copy each: the retries of the held group went to the refusing subscription only.
        assertEquals(2.0, meter("delivered", "held.fifo"));
    }

    @Test
    void aPartlyRefusedBatchDeadLettersExactlyTheRefusedCopiesAfterTheirAttemptsAndBillsEveryStoredCopy() throws Exception {
        String topic = sns.createTopic(b -> b.name("mixed")).topicArn();
        String queue = sqs.createQueue(b -> b.queueName("mixed-in").attributes(Map.of(
                QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"))).queueUrl();
        String deadLetters = sqs.createQueue(b -> b.queueName("mixed-dlq")).queueUrl();
        String subscription = subscribe(topic, "mixed-in", "mixed-dlq");
        List<String> small = List.of("small-1", "small-2", "small-3");
        List<String> big = List.of("big-1-" + "x".repeat(1_500), "big-2-" + "y".repeat(1_500));
        List<String> all = List.of(small.get(0), big.get(0), small.get(1), big.get(1), small.get(2));
        List<PublishBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            entries.add(PublishBatchRequestEntry.builder().id("e" + i).message(all.get(i)).build());
        }
        assertEquals(5, sns.publishBatch(b -> b.topicArn(topic).publishBatchRequestEntries(entries)).successful().size());

        assertEquals(big.stream().sorted().toList(), drain(deadLetters, 2).stream().sorted().toList());
        assertEquals(small, drain(queue, 3).stream().sorted().toList());
        assertEmpty(deadLetters, queue);
        assertEquals(2.0, meter("dead_lettered", "mixed"));
        // Each copy is one 64 KiB chunk: three the queue took, two the dead-letter queue took, all billed to the owner.
        assertEquals(5, sqsDeliveriesBilled());
        assertTrue(sns.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes()
                .get("LastDeliveryError").contains("went to the subscription's dead-letter queue"));
    }

    private static String fifoTopic(String name) {
        return sns.createTopic(b -> b.name(name).attributes(Map.of("FifoTopic", "true"))).topicArn();
    }

    private static String fifoQueue(String name, Map<QueueAttributeName, String> attributes) {
        return SnsQueueFixture.fifoQueue(sqs, name, attributes);
    }

    private static String subscribe(String topic, String name, String deadLetters) {
        return SnsQueueFixture.subscribe(sns, topic, name, deadLetters);
    }

    /** Receives and deletes until {@code expected} messages came (20 s at most), each as {@code group|body}. */
    private static List<String> drain(String url, int expected) {
        return SnsQueueFixture.drain(sqs, url, expected, java.time.Duration.ofSeconds(20), true);
    }

    /** No message in any of the queues, visible or in flight (a copy too many, or a refused copy stored after all). */
    private static void assertEmpty(String... urls) {
        for (String url : urls) {
            Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            assertEquals("0", counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), url);
            assertEquals("0", counts.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE), url);
        }
    }

    private static Map<String, List<String>> byGroup(List<String> received) {
        Map<String, List<String>> groups = new TreeMap<>();
        for (String message : received) {
            int bar = message.indexOf('|');
            groups.computeIfAbsent(message.substring(0, bar), key -> new ArrayList<>()).add(message.substring(bar + 1));
        }
        return groups;
    }

    /** The default account's SnsDeliveriesSqs in {@code /v1/usage} (auth is off on loopback: no signature needed). */
    private static long sqsDeliveriesBilled() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/v1/usage"))
                        .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("Totals")
                .path("000000000000").path("SnsDeliveriesSqs").asLong();
    }

    private static double meter(String kind, String topic) {
        return SnsQueueFixture.sqsNotifications(server, kind, topic);
    }
}
