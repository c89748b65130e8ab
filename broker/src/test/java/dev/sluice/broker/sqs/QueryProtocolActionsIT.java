package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.sqs.AmazonSQS;
import com.amazonaws.services.sqs.model.AmazonSQSException;
import com.amazonaws.services.sqs.model.BatchEntryIdsNotDistinctException;
import com.amazonaws.services.sqs.model.BatchRequestTooLongException;
import com.amazonaws.services.sqs.model.CancelMessageMoveTaskRequest;
import com.amazonaws.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import com.amazonaws.services.sqs.model.CreateQueueRequest;
import com.amazonaws.services.sqs.model.EmptyBatchRequestException;
import com.amazonaws.services.sqs.model.InvalidBatchEntryIdException;
import com.amazonaws.services.sqs.model.InvalidMessageContentsException;
import com.amazonaws.services.sqs.model.ListDeadLetterSourceQueuesRequest;
import com.amazonaws.services.sqs.model.ListMessageMoveTasksRequest;
import com.amazonaws.services.sqs.model.ListQueuesRequest;
import com.amazonaws.services.sqs.model.Message;
import com.amazonaws.services.sqs.model.QueueDeletedRecentlyException;
import com.amazonaws.services.sqs.model.QueueNameExistsException;
import com.amazonaws.services.sqs.model.ReceiveMessageRequest;
import com.amazonaws.services.sqs.model.SendMessageBatchRequestEntry;
import com.amazonaws.services.sqs.model.StartMessageMoveTaskRequest;
import com.amazonaws.services.sqs.model.TooManyEntriesInBatchRequestException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every SQS action and the batch error codes through the AWS SDK for Java v1 (Query protocol). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueryProtocolActionsIT {
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
    void queueAdministrationActions() {
        String url = sqs.createQueue(new CreateQueueRequest("v1-admin").withAttributes(Map.of("DelaySeconds", "0"))).getQueueUrl();
        assertEquals(url, sqs.getQueueUrl("v1-admin").getQueueUrl());
        assertThrows(QueueNameExistsException.class,
                () -> sqs.createQueue(new CreateQueueRequest("v1-admin").withAttributes(Map.of("DelaySeconds", "5"))));
        sqs.setQueueAttributes(url, Map.of("VisibilityTimeout", "45"));
        assertEquals("45", sqs.getQueueAttributes(url, List.of("VisibilityTimeout")).getAttributes().get("VisibilityTimeout"));
        sqs.tagQueue(url, Map.of("team", "ops", "tier", "1"));
        sqs.untagQueue(url, List.of("tier"));
        assertEquals(Map.of("team", "ops"), sqs.listQueueTags(url).getTags());
        var page = sqs.listQueues(new ListQueuesRequest("v1-").withMaxResults(1));
        assertEquals(1, page.getQueueUrls().size());
        sqs.deleteQueue(url);
        assertFalse(sqs.listQueues("v1-admin").getQueueUrls().contains(url));
        assertThrows(QueueDeletedRecentlyException.class, () -> sqs.createQueue("v1-admin"));
    }

    @Test
    void visibilityBatchDeadLettersAndMoveTasks() throws Exception {
        String dlq = sqs.createQueue("v1-dlq").getQueueUrl();
        String dlqArn = sqs.getQueueAttributes(dlq, List.of("QueueArn")).getAttributes().get("QueueArn");
        String url = sqs.createQueue(new CreateQueueRequest("v1-work").withAttributes(Map.of("RedrivePolicy",
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}"))).getQueueUrl();
        assertEquals(List.of(url), sqs.listDeadLetterSourceQueues(new ListDeadLetterSourceQueuesRequest(dlq)).getQueueUrls());

        sqs.sendMessage(url, "fails once");
        Message message = sqs.receiveMessage(new ReceiveMessageRequest(url).withWaitTimeSeconds(2)).getMessages().get(0);
        var changed = sqs.changeMessageVisibilityBatch(url, List.of(
                new ChangeMessageVisibilityBatchRequestEntry("a", message.getReceiptHandle()).withVisibilityTimeout(0),
                new ChangeMessageVisibilityBatchRequestEntry("b", "garbage").withVisibilityTimeout(0)));
        assertEquals(1, changed.getSuccessful().size());
        assertEquals("ReceiptHandleIsInvalid", changed.getFailed().get(0).getCode());
        assertTrue(sqs.receiveMessage(new ReceiveMessageRequest(url).withWaitTimeSeconds(1)).getMessages().isEmpty(),
                "over maxReceiveCount: moved to the dead-letter queue");

        String handle = sqs.startMessageMoveTask(new StartMessageMoveTaskRequest().withSourceArn(dlqArn)).getTaskHandle();
        String status = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!status.equals("COMPLETED") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = sqs.listMessageMoveTasks(new ListMessageMoveTasksRequest().withSourceArn(dlqArn)).getResults().get(0).getStatus();
        }
        assertEquals("COMPLETED", status);
        assertEquals("fails once", sqs.receiveMessage(new ReceiveMessageRequest(url).withWaitTimeSeconds(2)).getMessages().get(0).getBody());
        AmazonSQSException ended = assertThrows(AmazonSQSException.class,
                () -> sqs.cancelMessageMoveTask(new CancelMessageMoveTaskRequest().withTaskHandle(handle)));
        assertEquals("InvalidParameterValue", ended.getErrorCode());
    }

    @Test
    void batchAndContentErrorsMapToTheSdksExceptions() {
        String url = sqs.createQueue("v1-errors").getQueueUrl();
        List<SendMessageBatchRequestEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(new SendMessageBatchRequestEntry("e" + i, "x"));
        }
        assertThrows(TooManyEntriesInBatchRequestException.class, () -> sqs.sendMessageBatch(url, eleven));
        assertThrows(EmptyBatchRequestException.class, () -> sqs.sendMessageBatch(url, List.of()));
        assertThrows(BatchEntryIdsNotDistinctException.class, () -> sqs.sendMessageBatch(url, List.of(
                new SendMessageBatchRequestEntry("same", "a"), new SendMessageBatchRequestEntry("same", "b"))));
        assertThrows(InvalidBatchEntryIdException.class,
                () -> sqs.sendMessageBatch(url, List.of(new SendMessageBatchRequestEntry("bad id!", "a"))));
        List<SendMessageBatchRequestEntry> large = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            large.add(new SendMessageBatchRequestEntry("e" + i, "x".repeat(250_000)));
        }
        assertThrows(BatchRequestTooLongException.class, () -> sqs.sendMessageBatch(url, large));
        // A form attribute far above Vert.x's default 8 KiB form limit.
        assertTrue(sqs.sendMessage(url, "y".repeat(200_000)).getMessageId() != null);
        assertThrows(InvalidMessageContentsException.class, () -> sqs.sendMessage(url, "bell \u0007"));
        AmazonSQSException tooLong = assertThrows(AmazonSQSException.class, () -> sqs.sendMessage(url, "x".repeat(262_145)));
        assertEquals("InvalidParameterValue", tooLong.getErrorCode());
    }
}
