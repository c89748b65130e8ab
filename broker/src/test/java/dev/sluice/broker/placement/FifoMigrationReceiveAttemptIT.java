package dev.sluice.broker.placement;

import static dev.sluice.broker.placement.AdminCalls.awaitMigration;
import static dev.sluice.broker.placement.AdminCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
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
 * A FIFO ReceiveMessage retried with the same ReceiveRequestAttemptId after its queue moved to another data group
 * answers the messages of the first receive, as SQS promises within the deduplication interval, not the next ones.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FifoMigrationReceiveAttemptIT {

    @Test
    void aReceiveRetriedWithItsAttemptIdAfterTheQueueMovedGetsTheSameMessages(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(3)))) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("retried.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE,
                    "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"))).queueUrl();
            for (String body : List.of("a-0", "a-1", "b-0", "b-1")) {
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId(body.substring(0, 1)));
            }
            List<Message> first = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2).visibilityTimeout(120)
                    .receiveRequestAttemptId("network-dropped-the-answer")).messages();
            assertEquals(List.of("a-0", "a-1"), first.stream().map(Message::body).toList());

            String from = call(server, "GET", "/v1/queues/retried.fifo", null).get("groups").get(0).asText();
            String to = from.equals("data-1") ? "data-2" : "data-1";
            call(server, "POST", "/v1/queues/retried.fifo/migrate", "{\"toGroup\":\"" + to + "\"}");
            awaitMigration(server, "retried.fifo");

            List<Message> retried = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2).visibilityTimeout(120)
                    .receiveRequestAttemptId("network-dropped-the-answer")).messages();
            assertEquals(first.stream().map(Message::messageId).toList(), retried.stream().map(Message::messageId).toList());
            // The retry's handles are good ones: they delete, and the next receive moves on to the other group.
            retried.forEach(message -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle())));
            List<Message> next = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .receiveRequestAttemptId("another-receive")).messages();
            assertEquals(List.of("b-0", "b-1"), next.stream().map(Message::body).toList());
        }
    }
}
