package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** SQS's limits and error codes as the AWS SDK v2 sees them from a real server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SqsErrorsIT {
    @TempDir
    static Path dir;
    static SqsTestServer server;
    static SqsClient sqs;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(dir);
        sqs = server.sqs;
        url = sqs.createQueue(b -> b.queueName("limits")).queueUrl();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void assertError(String code, Consumer<SqsClient> call) {
        SqsTestServer.assertError(sqs, code, call);
    }

    private static List<SendMessageBatchRequestEntry> entries(int count, int bodyBytes) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("x".repeat(bodyBytes)).build());
        }
        return entries;
    }

    @Test
    void batchRulesAreWholeRequestErrors() {
        assertError("AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                c -> c.sendMessageBatch(b -> b.queueUrl(url).entries(entries(11, 1))));
        assertError("AWS.SimpleQueueService.EmptyBatchRequest", c -> c.sendMessageBatch(b -> b.queueUrl(url).entries(List.of())));
        assertError("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", c -> c.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("same").messageBody("a").build(),
                SendMessageBatchRequestEntry.builder().id("same").messageBody("b").build())));
        assertError("AWS.SimpleQueueService.InvalidBatchEntryId", c -> c.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("bad id!").messageBody("a").build())));
        assertError("AWS.SimpleQueueService.BatchRequestTooLong",
                c -> c.sendMessageBatch(b -> b.queueUrl(url).entries(entries(5, 250_000))));
    }

    @Test
    void parameterLimitsAreEnforced() {
        assertError("InvalidParameterValue", c -> c.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(11)));
        assertError("InvalidParameterValue", c -> c.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(21)));
        assertError("InvalidParameterValue", c -> c.sendMessage(b -> b.queueUrl(url).messageBody("x").delaySeconds(901)));
        assertError("InvalidParameterValue", c -> c.sendMessage(b -> b.queueUrl(url).messageBody("x".repeat(262_145))));
        assertError("InvalidMessageContents", c -> c.sendMessage(b -> b.queueUrl(url).messageBody("bell \u0007")));
        assertError("InvalidAttributeValue", c -> c.setQueueAttributes(b -> b.queueUrl(url)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "43201"))));
        assertError("InvalidAttributeValue", c -> c.setQueueAttributes(b -> b.queueUrl(url)
                .attributes(Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1023"))));
        assertError("InvalidAttributeName", c -> c.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("Nonsense")));
    }

    @Test
    void visibilityBatchReportsEachEntry() {
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("visible soon"));
        Message message = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages().get(0);
        var response = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(
                ChangeMessageVisibilityBatchRequestEntry.builder().id("ok").receiptHandle(message.receiptHandle()).visibilityTimeout(0).build(),
                ChangeMessageVisibilityBatchRequestEntry.builder().id("bad").receiptHandle("nonsense").visibilityTimeout(5).build()));
        assertEquals(List.of("ok"), response.successful().stream().map(entry -> entry.id()).toList());
        assertEquals("ReceiptHandleIsInvalid", response.failed().get(0).code());
        Message again = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages().get(0);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(again.receiptHandle()));
    }

    @Test
    void moveTasksCanBeCancelledAndRequireADeadLetterQueue() {
        String plainArn = "arn:aws:sqs:us-east-1:000000000000:limits";
        assertError("InvalidParameterValue", c -> c.startMessageMoveTask(b -> b.sourceArn(plainArn)));
        assertError("ResourceNotFoundException",
                c -> c.startMessageMoveTask(b -> b.sourceArn("arn:aws:sqs:us-east-1:000000000000:nope")));
        sqs.createQueue(b -> b.queueName("cancel-dlq"));
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:cancel-dlq";
        sqs.createQueue(b -> b.queueName("cancel-source").attributes(Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":5}")));
        String dlqUrl = sqs.getQueueUrl(b -> b.queueName("cancel-dlq")).queueUrl();
        for (int i = 0; i < 50; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(dlqUrl).messageBody("dead " + n));
        }
        String handle = sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn)
                .destinationArn("arn:aws:sqs:us-east-1:000000000000:cancel-source").maxNumberOfMessagesPerSecond(1)).taskHandle();
        sqs.cancelMessageMoveTask(b -> b.taskHandle(handle));
        var task = sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results().get(0);
        assertEquals("CANCELLED", task.status());
        assertTrue(task.approximateNumberOfMessagesMoved() <= 2, "moved at about 1 message per second until cancelled");
        assertError("InvalidParameterValue", c -> c.cancelMessageMoveTask(b -> b.taskHandle(handle)));
    }
}
