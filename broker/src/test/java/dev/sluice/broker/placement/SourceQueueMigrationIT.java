package dev.sluice.broker.placement;

import static dev.sluice.broker.placement.AdminCalls.awaitMigration;
import static dev.sluice.broker.placement.AdminCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A source queue migrates out of its dead-letter queue's data group (where placement puts a queue created with a
 * RedrivePolicy): its copy in the new group names a dead-letter queue that lives elsewhere, so it is created as a
 * cross-group CreateQueue does. The migration completes (a standard queue drains, a FIFO queue is copied), the
 * message waiting in it arrives, and afterwards its dead letters cross the groups into the dead-letter queue.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SourceQueueMigrationIT {
    private static final int GROUPS = 4;
    private static final int VISIBILITY_SECONDS = 2;

    @Test
    void aStandardSourceQueueMigratesAwayFromItsDeadLetterQueuesGroupAndStillDeadLetters(@TempDir Path directory)
            throws Exception {
        migrateAwayAndDeadLetter(directory, "mourner", "graveyard");
    }

    @Test
    void aFifoSourceQueueIsCopiedAwayFromItsDeadLetterQueuesGroupAndStillDeadLetters(@TempDir Path directory)
            throws Exception {
        migrateAwayAndDeadLetter(directory, "mourner.fifo", "graveyard.fifo");
    }

    private static void migrateAwayAndDeadLetter(Path directory, String source, String deadLetters) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(GROUPS)))) {
            SqsClient sqs = server.sqs();
            boolean fifo = source.endsWith(".fifo");
            Map<QueueAttributeName, String> attributes = new HashMap<>();
            if (fifo) {
                attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            }
            String dlq = sqs.createQueue(b -> b.queueName(deadLetters).attributes(attributes)).queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}");
            String url = sqs.createQueue(b -> b.queueName(source).attributes(attributes)).queueUrl();
            String home = groupOf(server, deadLetters);
            assertEquals(home, groupOf(server, source), "placed with its dead-letter queue");
            send(sqs, url, fifo, "waiting");

            String away = home.equals("data-0") ? "data-1" : "data-0";
            JsonNode started = call(server, "POST", "/v1/queues/" + source + "/migrate", "{\"toGroup\":\"" + away + "\"}");
            assertNotEquals("COMPLETED", started.get("state").asText());
            awaitMigration(server, source);
            assertEquals(away, groupOf(server, source));

            send(sqs, url, fifo, "doomed");
            List<String> delivered = new ArrayList<>();
            for (Message message : receive(sqs, url, 2)) {
                delivered.add(message.body());
            }
            assertEquals(List.of("doomed", "waiting"), delivered.stream().sorted().toList(), "the waiting message moved too");
            // Received once (maxReceiveCount 1): once visible again, the next receive dead-letters both, through the outbox
            // into the other group.
            Thread.sleep(TimeUnit.SECONDS.toMillis(VISIBILITY_SECONDS) + 500);
            assertEquals(List.of(), sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages());
            List<String> dead = new ArrayList<>();
            for (Message message : receive(sqs, dlq, 2)) {
                dead.add(message.body());
            }
            assertEquals(List.of("doomed", "waiting"), dead.stream().sorted().toList());
        }
    }

    private static void send(SqsClient sqs, String url, boolean fifo, String body) {
        sqs.sendMessage(b -> {
            b.queueUrl(url).messageBody(body);
            if (fifo) {
                b.messageGroupId("g").messageDeduplicationId(body);
            }
        });
    }

    /** Receives until {@code count} messages came, each hidden for {@value #VISIBILITY_SECONDS} s, within 20 s. */
    private static List<Message> receive(SqsClient sqs, String url, int count) throws InterruptedException {
        List<Message> received = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.size() < count && System.nanoTime() < deadline) {
            received.addAll(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(count - received.size())
                    .visibilityTimeout(VISIBILITY_SECONDS).waitTimeSeconds(1)).messages());
        }
        return received;
    }

    private static String groupOf(SqsTestServer server, String queue) throws Exception {
        return call(server, "GET", "/v1/queues/" + queue, null).get("groups").get(0).asText();
    }
}
