package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/** FIFO queues end to end through the real AWS SDK v2 (JSON protocol) against a real server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FifoQueueIT {
    @TempDir
    static Path dir;
    static SqsTestServer server;
    static SqsClient sqs;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(dir);
        sqs = server.sqs;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String createFifo(SqsClient client, String name, Map<QueueAttributeName, String> attributes) {
        Map<QueueAttributeName, String> all = new java.util.HashMap<>(attributes);
        all.put(QueueAttributeName.FIFO_QUEUE, "true");
        return client.createQueue(b -> b.queueName(name).attributes(all)).queueUrl();
    }

    private static void assertError(String code, Consumer<SqsClient> call) {
        SqsTestServer.assertError(sqs, code, call);
    }

    private static List<Message> receive(String url, int max) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(max)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    private static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::body).toList();
    }

    @Test
    void aFifoQueueNeedsTheSuffixAndTheAttributeAndReportsItsFifoSettings() {
        assertError("InvalidParameterValue", c -> c.createQueue(b -> b.queueName("plain.fifo")));
        assertError("InvalidParameterValue", c -> c.createQueue(b -> b.queueName("plain")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))));
        assertError("InvalidAttributeName", c -> c.createQueue(b -> b.queueName("plain")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "false"))));
        String url = createFifo(sqs, "settings.fifo", Map.of());
        Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributesAsStrings();
        assertEquals("true", attributes.get("FifoQueue"));
        assertEquals("false", attributes.get("ContentBasedDeduplication"));
        assertEquals("queue", attributes.get("DeduplicationScope"));
        assertEquals("perQueue", attributes.get("FifoThroughputLimit"));
        assertError("InvalidAttributeName", c -> c.setQueueAttributes(b -> b.queueUrl(url)
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "false"))));
    }

    @Test
    void highThroughputAttributesFollowSqsRules() {
        assertError("InvalidAttributeValue", c -> createFifo(c, "high-invalid.fifo",
                Map.of(QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId")));
        assertError("InvalidAttributeValue", c -> createFifo(c, "scope-invalid.fifo",
                Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "tenant")));
        assertError("InvalidAttributeName", c -> c.createQueue(b -> b.queueName("std-high")
                .attributes(Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"))));
        String url = createFifo(sqs, "high.fifo", Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup",
                QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId"));
        assertError("InvalidAttributeValue", c -> c.setQueueAttributes(b -> b.queueUrl(url)
                .attributes(Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "queue"))));
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.DEDUPLICATION_SCOPE, "queue",
                QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perQueue")));
        assertEquals("perQueue", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.FIFO_THROUGHPUT_LIMIT))
                .attributesAsStrings().get("FifoThroughputLimit"));
    }

    @Test
    void sendsAreCheckedForGroupDelayAndDeduplication() {
        String url = createFifo(sqs, "checks.fifo", Map.of());
        assertError("MissingParameter", c -> c.sendMessage(b -> b.queueUrl(url).messageBody("x").messageDeduplicationId("d")));
        assertError("InvalidParameterValue", c -> c.sendMessage(b -> b.queueUrl(url).messageBody("x")
                .messageGroupId("g").messageDeduplicationId("d").delaySeconds(5)));
        assertError("InvalidParameterValue", c -> c.sendMessage(b -> b.queueUrl(url).messageBody("x").messageGroupId("g")));
        assertError("InvalidParameterValue", c -> c.sendMessage(b -> b.queueUrl(url).messageBody("x")
                .messageGroupId("g".repeat(129)).messageDeduplicationId("d")));
        String standard = sqs.createQueue(b -> b.queueName("checks-standard")).queueUrl();
        assertError("InvalidParameterValue", c -> c.sendMessage(b -> b.queueUrl(standard).messageBody("x")
                .messageDeduplicationId("d")));

        SendMessageBatchResponse batch = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("ok").messageBody("x").messageGroupId("g").messageDeduplicationId("1").build(),
                SendMessageBatchRequestEntry.builder().id("nogroup").messageBody("x").messageDeduplicationId("2").build(),
                SendMessageBatchRequestEntry.builder().id("nodedup").messageBody("x").messageGroupId("g").build()));
        assertEquals(List.of("ok"), batch.successful().stream().map(e -> e.id()).toList());
        assertEquals(Map.of("nogroup", "MissingParameter", "nodedup", "InvalidParameterValue"), Map.of(
                batch.failed().get(0).id(), batch.failed().get(0).code(), batch.failed().get(1).id(), batch.failed().get(1).code()));
    }

    @Test
    void messagesOfAGroupArriveInOrderOneReceiverAtATimeWithFifoSystemAttributes() {
        String url = createFifo(sqs, "ordered.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
        SendMessageResponse first = sqs.sendMessage(b -> b.queueUrl(url).messageBody("a1").messageGroupId("a"));
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("1").messageBody("b1").messageGroupId("b").build(),
                SendMessageBatchRequestEntry.builder().id("2").messageBody("a2").messageGroupId("a").build(),
                SendMessageBatchRequestEntry.builder().id("3").messageBody("a3").messageGroupId("a").build()));

        List<Message> run = receive(url, 2);
        assertEquals(List.of("a1", "a2"), bodies(run));
        Message a1 = run.get(0);
        assertEquals("a", a1.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
        assertEquals(first.sequenceNumber(), a1.attributes().get(MessageSystemAttributeName.SEQUENCE_NUMBER));
        assertEquals(64, a1.attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID).length());
        assertTrue(run.get(1).attributes().get(MessageSystemAttributeName.SEQUENCE_NUMBER)
                .compareTo(first.sequenceNumber()) > 0);

        assertEquals(List.of("b1"), bodies(receive(url, 10)), "group a is held while a1 and a2 are in flight");
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(a1.receiptHandle()));
        assertEquals(List.of(), bodies(receive(url, 10)));
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(run.get(1).receiptHandle()).visibilityTimeout(0));
        assertEquals(List.of("a2", "a3"), bodies(receive(url, 10)));
    }

    @Test
    void aDuplicateIsAcceptedWithTheOriginalIdsAndNeverDeliveredAgainEvenAfterDelete() {
        String url = createFifo(sqs, "dedup.fifo", Map.of());
        SendMessageResponse original = sqs.sendMessage(b -> b.queueUrl(url).messageBody("charge 10 EUR")
                .messageGroupId("card-1").messageDeduplicationId("charge-1"));
        Message received = receive(url, 10).get(0);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(received.receiptHandle()));

        SendMessageResponse retried = sqs.sendMessage(b -> b.queueUrl(url).messageBody("charge 10 EUR")
                .messageGroupId("card-1").messageDeduplicationId("charge-1"));
        SendMessageBatchResponse batch = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("again").messageBody("charge 10 EUR").messageGroupId("card-1")
                        .messageDeduplicationId("charge-1").build()));

        assertEquals(original.messageId(), retried.messageId());
        assertEquals(original.sequenceNumber(), retried.sequenceNumber());
        assertEquals(original.messageId(), batch.successful().get(0).messageId());
        assertEquals(original.sequenceNumber(), batch.successful().get(0).sequenceNumber());
        assertEquals(List.of(), receive(url, 10));
    }

    @Test
    void aRetriedReceiveWithTheSameAttemptIdGetsTheSameMessagesAndReceiptHandles() {
        String url = createFifo(sqs, "attempts.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("one").messageGroupId("g"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("two").messageGroupId("g"));

        List<Message> first = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .receiveRequestAttemptId("attempt-1")).messages();
        List<Message> retried = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .receiveRequestAttemptId("attempt-1")).messages();
        assertEquals(List.of("one", "two"), bodies(first));
        assertEquals(first.stream().map(Message::receiptHandle).toList(), retried.stream().map(Message::receiptHandle).toList());

        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(first.get(0).receiptHandle()).visibilityTimeout(0));
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(first.get(1).receiptHandle()).visibilityTimeout(0));
        List<Message> afterChange = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .receiveRequestAttemptId("attempt-1")).messages();
        assertEquals(List.of("one", "two"), bodies(afterChange));
        assertNotEquals(first.get(0).receiptHandle(), afterChange.get(0).receiptHandle(), "a changed attempt is a new receive");
    }

    @Test
    void aLongPollOnAHeldGroupReturnsWhenTheGroupIsReleased() throws Exception {
        String url = createFifo(sqs, "held.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("first").messageGroupId("g"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("second").messageGroupId("g"));
        Message held = receive(url, 1).get(0);

        long started = System.nanoTime();
        CompletableFuture<ReceiveMessageResponse> poll = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10)));
        Thread.sleep(700);
        assertTrue(!poll.isDone(), "nothing is receivable while the group is held");
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(held.receiptHandle()));
        assertEquals(List.of("second"), bodies(poll.get(5, TimeUnit.SECONDS).messages()));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void deadLetterQueuesMatchTheSourceKindAndRedriveKeepsTheGroupInOrder() throws Exception {
        String dead = createFifo(sqs, "orders-dead.fifo", Map.of());
        String deadArn = "arn:aws:sqs:us-east-1:000000000000:orders-dead.fifo";
        String standardDead = sqs.createQueue(b -> b.queueName("standard-dead")).queueUrl();
        assertError("InvalidParameterValue", c -> createFifo(c, "wrong-kind.fifo", Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:standard-dead\",\"maxReceiveCount\":\"1\"}")));
        assertError("InvalidParameterValue", c -> c.createQueue(b -> b.queueName("wrong-kind").attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadArn + "\",\"maxReceiveCount\":\"1\"}"))));
        assertTrue(standardDead.endsWith("standard-dead"));

        String url = createFifo(sqs, "orders.fifo", Map.of(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "true",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadArn + "\",\"maxReceiveCount\":\"1\"}"));
        for (String body : List.of("poison", "next", "last")) {
            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId("customer-1"));
        }
        Message poison = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(poison.receiptHandle()).visibilityTimeout(0));
        List<Message> rest = receive(url, 10);
        assertEquals(List.of("next", "last"), bodies(rest));
        rest.forEach(m -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle())));
        Message deadLetter = receive(dead, 10).get(0);
        assertEquals("poison", deadLetter.body());
        assertEquals("customer-1", deadLetter.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));

        // Back to the source with a move task, once the dead letter is visible again.
        sqs.changeMessageVisibility(b -> b.queueUrl(dead).receiptHandle(deadLetter.receiptHandle()).visibilityTimeout(0));
        sqs.startMessageMoveTask(b -> b.sourceArn(deadArn));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Message> back = List.of();
        while (back.isEmpty() && System.nanoTime() < deadline) {
            back = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages();
        }
        assertEquals(List.of("poison"), bodies(back));
    }
}
