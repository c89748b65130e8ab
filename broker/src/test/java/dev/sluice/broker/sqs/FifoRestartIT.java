package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/** FIFO state rebuilt from RocksDB after a restart: deduplication ids, receive attempts, held groups. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FifoRestartIT {
    @TempDir
    Path dir;

    @Test
    void deduplicationReceiveAttemptsAndGroupLocksSurviveARestart() throws Exception {
        String url;
        SendMessageResponse original;
        List<Message> attempt;
        try (SqsTestServer server = SqsTestServer.start(dir)) {
            url = FifoQueueIT.createFifo(server.sqs, "durable.fifo", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "120"));
            original = server.sqs.sendMessage(b -> b.queueUrl(url).messageBody("one").messageGroupId("g").messageDeduplicationId("1"));
            server.sqs.sendMessage(b -> b.queueUrl(url).messageBody("two").messageGroupId("g").messageDeduplicationId("2"));
            server.sqs.sendMessage(b -> b.queueUrl(url).messageBody("three").messageGroupId("g").messageDeduplicationId("3"));
            attempt = server.sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2).receiveRequestAttemptId("r1")).messages();
            assertEquals(List.of("one", "two"), attempt.stream().map(Message::body).toList());
        }

        try (SqsTestServer server = SqsTestServer.start(dir)) {
            String restartedUrl = url.replaceFirst(":\\d+/", ":" + server.port() + "/");
            SendMessageResponse retried = server.sqs.sendMessage(b -> b.queueUrl(restartedUrl).messageBody("one")
                    .messageGroupId("g").messageDeduplicationId("1"));
            assertEquals(original.messageId(), retried.messageId());
            assertEquals(original.sequenceNumber(), retried.sequenceNumber());

            List<Message> again = server.sqs.receiveMessage(b -> b.queueUrl(restartedUrl).maxNumberOfMessages(2)
                    .receiveRequestAttemptId("r1")).messages();
            assertEquals(attempt.stream().map(Message::receiptHandle).toList(), again.stream().map(Message::receiptHandle).toList());
            assertEquals(List.of(), server.sqs.receiveMessage(b -> b.queueUrl(restartedUrl).maxNumberOfMessages(10)).messages(),
                    "group g is still held by the in-flight messages");
            again.forEach(m -> server.sqs.deleteMessage(b -> b.queueUrl(restartedUrl).receiptHandle(m.receiptHandle())));
            assertEquals(List.of("three"), server.sqs.receiveMessage(b -> b.queueUrl(restartedUrl).maxNumberOfMessages(10))
                    .messages().stream().map(Message::body).toList());
        }
    }
}
