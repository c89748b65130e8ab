package dev.sluice.broker.placement;

import static dev.sluice.broker.placement.AdminCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * What a FIFO queue brought from the group it was migrated out of is durable: after a server restart on its files, a
 * receipt handle taken before the move still deletes its message, a deduplication id from before the move still
 * deduplicates, and new sends still get larger sequence numbers than the old group gave.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FifoMigrationRestartIT {

    @Test
    void aMigratedFifoQueueKeepsItsHandlesDeduplicationAndSequenceAcrossARestart(@TempDir Path directory) throws Exception {
        String held;
        SendMessageResponse first;
        List<SendMessageResponse> sent = new ArrayList<>();
        String url;
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            SqsClient sqs = server.sqs();
            url = sqs.createQueue(b -> b.queueName("kept.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true")))
                    .queueUrl();
            for (int i = 0; i < 3; i++) {
                String body = "m" + i;
                sent.add(sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId("A").messageDeduplicationId(body)));
            }
            first = sent.get(0);
            Message taken = sqs.receiveMessage(b -> b.queueUrl(url).visibilityTimeout(300)).messages().get(0);
            assertEquals("m0", taken.body());
            held = taken.receiptHandle();
            String from = call(server, "GET", "/v1/queues/kept.fifo", null).get("groups").get(0).asText();
            String to = from.equals("data-1") ? "data-2" : "data-1";
            call(server, "POST", "/v1/queues/kept.fifo/migrate", "{\"toGroup\":\"" + to + "\"}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            JsonNode migration = call(server, "GET", "/v1/queues/kept.fifo/migrate", null);
            while (!migration.get("state").asText().equals("COMPLETED") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                migration = call(server, "GET", "/v1/queues/kept.fifo/migrate", null);
            }
            assertEquals("COMPLETED", migration.get("state").asText(), migration.toString());
        }
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            SqsClient sqs = server.sqs();
            // Group A waits for m0, in flight: only the handle from before the move releases it.
            assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty());
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(held));
            assertEquals("m1", sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages().get(0).body());
            SendMessageResponse again = sqs.sendMessage(b -> b.queueUrl(url).messageBody("m0").messageGroupId("A")
                    .messageDeduplicationId("m0"));
            assertEquals(first.messageId(), again.messageId());
            SendMessageResponse later = sqs.sendMessage(b -> b.queueUrl(url).messageBody("m3").messageGroupId("A")
                    .messageDeduplicationId("m3"));
            assertTrue(later.sequenceNumber().compareTo(sent.get(2).sequenceNumber()) > 0,
                    later.sequenceNumber() + " after " + sent.get(2).sequenceNumber());
        }
    }
}
