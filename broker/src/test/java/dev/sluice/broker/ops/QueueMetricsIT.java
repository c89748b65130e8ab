package dev.sluice.broker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The per-queue meters of {@code /metrics} on a single node, after real SDK traffic, with CloudWatch's meanings:
 * exact counts of sent, received, deleted, empty receives and dead letters, the backlog gauges and the sent-size
 * histogram, labelled by queue and group.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueMetricsIT {
    private SqsTestServer server;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private MetricsScrape scrape() throws Exception {
        return MetricsScrape.of(server.port());
    }

    private String create(String name, Map<QueueAttributeName, String> attributes) {
        return server.sqs.createQueue(request -> request.queueName(name).attributes(attributes)).queueUrl();
    }

    private static double value(MetricsScrape scrape, String name, String queue) {
        Optional<Double> value = scrape.value(name, "queue", queue);
        assertTrue(value.isPresent(), name + " of " + queue + " in\n" + scrape.text());
        return value.get();
    }

    @Test
    void sendThreeReceiveTwoDeleteOneCountsExactlyAndLeavesOneVisibleAndOneInFlight() throws Exception {
        String url = create("counted", Map.of());
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("small one"));
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("small two"));
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("x".repeat(2000)));
        List<Message> received = server.sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(2)
                .visibilityTimeout(300).waitTimeSeconds(0)).messages();
        assertEquals(2, received.size());
        server.sqs.deleteMessage(request -> request.queueUrl(url).receiptHandle(received.get(0).receiptHandle()));

        MetricsScrape scrape = scrape();
        assertEquals(3, value(scrape, "sluice_queue_sent_messages_total", "counted"));
        assertEquals(2, value(scrape, "sluice_queue_received_messages_total", "counted"));
        assertEquals(1, value(scrape, "sluice_queue_deleted_messages_total", "counted"));
        assertEquals(1, value(scrape, "sluice_queue_visible_messages", "counted"));
        assertEquals(1, value(scrape, "sluice_queue_in_flight_messages", "counted"));
        assertEquals(0, value(scrape, "sluice_queue_delayed_messages", "counted"));
        assertEquals(0, value(scrape, "sluice_queue_empty_receives_total", "counted"), "no receive came back empty");
        assertEquals(Optional.of(1.0), scrape.value("sluice_queue_visible_messages", "queue", "counted", "group", "data-0"));
    }

    @Test
    void theSentSizeHistogramHasTheBytesOfEachMessageInItsBucket() throws Exception {
        String url = create("sized", Map.of());
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("a".repeat(100)));
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("b".repeat(2000)));
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("c".repeat(70_000)));

        MetricsScrape scrape = scrape();
        String histogram = "sluice_queue_sent_message_size_bytes";
        assertEquals(Optional.of(1.0), scrape.value(histogram + "_bucket", "queue", "sized", "le", "1024.0"));
        assertEquals(Optional.of(2.0), scrape.value(histogram + "_bucket", "queue", "sized", "le", "4096.0"));
        assertEquals(Optional.of(2.0), scrape.value(histogram + "_bucket", "queue", "sized", "le", "65536.0"));
        assertEquals(Optional.of(3.0), scrape.value(histogram + "_bucket", "queue", "sized", "le", "+Inf"));
        assertEquals(3, value(scrape, histogram + "_count", "sized"));
        assertEquals(72_100, value(scrape, histogram + "_sum", "sized"));
    }

    @Test
    void anEmptyReceiveCountsOnceAndADelayedMessageIsDelayedNotVisible() throws Exception {
        String url = create("quiet", Map.of());
        server.sqs.receiveMessage(request -> request.queueUrl(url).waitTimeSeconds(1));
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("later").delaySeconds(600));

        MetricsScrape scrape = scrape();
        assertEquals(1, value(scrape, "sluice_queue_empty_receives_total", "quiet"));
        assertEquals(1, value(scrape, "sluice_queue_delayed_messages", "quiet"));
        assertEquals(0, value(scrape, "sluice_queue_visible_messages", "quiet"));
        assertEquals(0, value(scrape, "sluice_queue_received_messages_total", "quiet"), "an empty receive received nothing");
    }

    @Test
    void theOldestMessageAgeGrowsWhileItWaits() throws Exception {
        String url = create("waiting", Map.of());
        assertEquals(0, value(scrape(), "sluice_queue_oldest_message_age_seconds", "waiting"), "empty queue");
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("old"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double age;
        do {
            Thread.sleep(100);
            age = value(scrape(), "sluice_queue_oldest_message_age_seconds", "waiting");
        } while (age < 1.0 && System.nanoTime() < deadline);
        assertTrue(age >= 1.0 && age < 10.0, "age " + age);
    }

    @Test
    void aMessagePastMaxReceiveCountCountsAsDeadLetteredAndNotAsSentToTheDeadLetterQueue() throws Exception {
        String deadUrl = create("metrics-dlq", Map.of());
        String deadArn = server.sqs.getQueueAttributes(request -> request.queueUrl(deadUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String url = create("metrics-source", Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + deadArn + "\",\"maxReceiveCount\":\"1\"}"));
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("poison"));
        assertEquals(1, server.sqs.receiveMessage(request -> request.queueUrl(url).visibilityTimeout(0)).messages().size());
        assertEquals(0, server.sqs.receiveMessage(request -> request.queueUrl(url).waitTimeSeconds(0)).messages().size(),
                "the second receive moved it to the dead-letter queue");

        MetricsScrape scrape = scrape();
        assertEquals(1, value(scrape, "sluice_queue_dead_lettered_messages_total", "metrics-source"));
        assertEquals(1, value(scrape, "sluice_queue_visible_messages", "metrics-dlq"));
        assertEquals(0, value(scrape, "sluice_queue_sent_messages_total", "metrics-dlq"), "a dead letter is not a send");
        assertEquals(0, value(scrape, "sluice_queue_visible_messages", "metrics-source"));
    }

    @Test
    void aFifoDuplicateIsAcceptedButNotCountedAsSent() throws Exception {
        String url = create("dedup.fifo", Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
        for (int i = 0; i < 2; i++) {
            server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("once").messageGroupId("g")
                    .messageDeduplicationId("same"));
        }
        MetricsScrape scrape = scrape();
        assertEquals(1, value(scrape, "sluice_queue_sent_messages_total", "dedup.fifo"));
        assertEquals(1, value(scrape, "sluice_queue_visible_messages", "dedup.fifo"));
    }
}
