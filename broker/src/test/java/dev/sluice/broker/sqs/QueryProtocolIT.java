package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.model.AmazonSQSException;
import com.amazonaws.services.sqs.model.ChangeMessageVisibilityRequest;
import com.amazonaws.services.sqs.model.CreateQueueRequest;
import com.amazonaws.services.sqs.model.DeleteMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.Message;
import com.amazonaws.services.sqs.model.MessageAttributeValue;
import com.amazonaws.services.sqs.model.QueueDoesNotExistException;
import com.amazonaws.services.sqs.model.ReceiveMessageRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.SendMessageRequest;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The same engine through the AWS SDK for Java v1 1.12.583, which speaks the SQS Query (XML) protocol. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueryProtocolIT {
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

    @Test
    void sendReceiveDeleteRoundTripWithAttributesVerifiedBySdkMd5Checks() {
        String url = sqs.createQueue(new CreateQueueRequest("query-roundtrip").withAttributes(Map.of("VisibilityTimeout", "30")))
                .getQueueUrl();
        sqs.sendMessage(new SendMessageRequest(url, "<xml & \"quotes\">").withMessageAttributes(Map.of(
                "kind", new MessageAttributeValue().withDataType("String").withStringValue("alert"),
                "raw", new MessageAttributeValue().withDataType("Binary").withBinaryValue(ByteBuffer.wrap(new byte[] {9, 8})))));
        sqs.sendMessageBatch(url, List.of(new SendMessageBatchRequestEntry("a", "one"), new SendMessageBatchRequestEntry("b", "two")));

        List<Message> messages = sqs.receiveMessage(new ReceiveMessageRequest(url).withMaxNumberOfMessages(10)
                .withMessageAttributeNames("All").withAttributeNames("All").withWaitTimeSeconds(1)).getMessages();
        assertEquals(3, messages.size());
        Message alert = messages.stream().filter(message -> message.getBody().startsWith("<xml")).findFirst().orElseThrow();
        assertEquals("<xml & \"quotes\">", alert.getBody());
        assertEquals("alert", alert.getMessageAttributes().get("kind").getStringValue());
        assertEquals("1", alert.getAttributes().get("ApproximateReceiveCount"));

        sqs.changeMessageVisibility(new ChangeMessageVisibilityRequest(url, alert.getReceiptHandle(), 60));
        var deleted = sqs.deleteMessageBatch(url, messages.stream()
                .map(message -> new DeleteMessageBatchRequestEntry(message.getMessageId().substring(0, 8), message.getReceiptHandle()))
                .toList());
        assertEquals(3, deleted.getSuccessful().size());
        assertEquals("0", sqs.getQueueAttributes(url, List.of("ApproximateNumberOfMessagesNotVisible")).getAttributes()
                .get("ApproximateNumberOfMessagesNotVisible"));
    }

    @Test
    void errorsMapToTheSdksExceptionTypesAndLegacyCodes() {
        assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueUrl("absent"));
        String url = sqs.createQueue("query-errors").getQueueUrl();
        AmazonSQSException invalid = assertThrows(AmazonSQSException.class,
                () -> sqs.deleteMessage(url, "not-a-receipt-handle"));
        assertEquals("ReceiptHandleIsInvalid", invalid.getErrorCode());
        sqs.purgeQueue(new com.amazonaws.services.sqs.model.PurgeQueueRequest(url));
        AmazonSQSException purge = assertThrows(AmazonSQSException.class,
                () -> sqs.purgeQueue(new com.amazonaws.services.sqs.model.PurgeQueueRequest(url)));
        assertEquals("AWS.SimpleQueueService.PurgeQueueInProgress", purge.getErrorCode());
        assertEquals(403, purge.getStatusCode());
        assertTrue(sqs.listQueues("query-").getQueueUrls().contains(url));
    }
}
