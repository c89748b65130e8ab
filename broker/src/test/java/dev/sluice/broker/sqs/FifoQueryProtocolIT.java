package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.model.AmazonSQSException;
import com.amazonaws.services.sqs.model.CreateQueueRequest;
import com.amazonaws.services.sqs.model.Message;
import com.amazonaws.services.sqs.model.ReceiveMessageRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.SendMessageBatchResult;
import com.amazonaws.services.sqs.model.SendMessageRequest;
import com.amazonaws.services.sqs.model.SendMessageResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** FIFO queues through the AWS SDK for Java v1 1.12.583 (SQS Query protocol, XML). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FifoQueryProtocolIT {
    @TempDir
    static Path dir;
    static SqsTestServer server;
    static AmazonSQS sqs;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(dir);
        sqs = SqsTestServer.queryClient(server.port());
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.shutdown();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String createFifo(String name, Map<String, String> attributes) {
        Map<String, String> all = new java.util.HashMap<>(attributes);
        all.put("FifoQueue", "true");
        return sqs.createQueue(new CreateQueueRequest(name).withAttributes(all)).getQueueUrl();
    }

    private static String errorCode(Runnable call) {
        return assertThrows(AmazonSQSException.class, call::run).getErrorCode();
    }

    @Test
    void fifoSendReceiveWithSequenceNumbersGroupsAndDeduplication() {
        String url = createFifo("query-orders.fifo", Map.of());
        SendMessageResult first = sqs.sendMessage(new SendMessageRequest(url, "a1").withMessageGroupId("a")
                .withMessageDeduplicationId("a1"));
        SendMessageBatchResult batch = sqs.sendMessageBatch(new SendMessageBatchRequest(url, List.of(
                new SendMessageBatchRequestEntry("1", "a2").withMessageGroupId("a").withMessageDeduplicationId("a2"),
                new SendMessageBatchRequestEntry("2", "b1").withMessageGroupId("b").withMessageDeduplicationId("b1"),
                new SendMessageBatchRequestEntry("3", "a1 again").withMessageGroupId("a").withMessageDeduplicationId("a1"))));
        assertEquals(20, first.getSequenceNumber().length());
        assertEquals(first.getMessageId(), batch.getSuccessful().get(2).getMessageId(), "duplicate gets the original id");
        assertEquals(first.getSequenceNumber(), batch.getSuccessful().get(2).getSequenceNumber());

        List<Message> messages = sqs.receiveMessage(new ReceiveMessageRequest(url).withMaxNumberOfMessages(10)
                .withAttributeNames("All").withReceiveRequestAttemptId("attempt-1")).getMessages();
        assertEquals(List.of("a1", "a2", "b1"), messages.stream().map(Message::getBody).toList());
        Message a1 = messages.get(0);
        assertEquals("a", a1.getAttributes().get("MessageGroupId"));
        assertEquals("a1", a1.getAttributes().get("MessageDeduplicationId"));
        assertEquals(first.getSequenceNumber(), a1.getAttributes().get("SequenceNumber"));

        List<Message> retried = sqs.receiveMessage(new ReceiveMessageRequest(url).withMaxNumberOfMessages(10)
                .withReceiveRequestAttemptId("attempt-1")).getMessages();
        assertEquals(messages.stream().map(Message::getReceiptHandle).toList(),
                retried.stream().map(Message::getReceiptHandle).toList());
    }

    @Test
    void fifoErrorsCarrySqsCodes() {
        String url = createFifo("query-errors.fifo", Map.of());
        assertEquals("MissingParameter", errorCode(() -> sqs.sendMessage(new SendMessageRequest(url, "x")
                .withMessageDeduplicationId("d"))));
        assertEquals("InvalidParameterValue", errorCode(() -> sqs.sendMessage(new SendMessageRequest(url, "x")
                .withMessageGroupId("g"))));
        assertEquals("InvalidParameterValue", errorCode(() -> sqs.sendMessage(new SendMessageRequest(url, "x")
                .withMessageGroupId("g").withMessageDeduplicationId("d").withDelaySeconds(3))));
        assertEquals("InvalidAttributeValue", errorCode(() -> createFifo("query-high.fifo",
                Map.of("FifoThroughputLimit", "perMessageGroupId"))));
        assertEquals("InvalidAttributeName", errorCode(() -> sqs.createQueue(new CreateQueueRequest("query-standard")
                .withAttributes(Map.of("ContentBasedDeduplication", "true")))));
        SendMessageBatchResult batch = sqs.sendMessageBatch(new SendMessageBatchRequest(url, List.of(
                new SendMessageBatchRequestEntry("nogroup", "x").withMessageDeduplicationId("d"))));
        assertEquals("MissingParameter", batch.getFailed().get(0).getCode());
    }
}
