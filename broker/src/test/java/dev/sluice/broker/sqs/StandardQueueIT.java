package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.PurgeQueueInProgressException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Standard queues end to end through the real AWS SDK v2 (JSON protocol) against a real server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StandardQueueIT {
    @TempDir
    static Path dir;
    static SqsTestServer server;
    static SqsClient sqs;
    static final java.util.concurrent.ExecutorService POLLERS = java.util.concurrent.Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(dir);
        sqs = server.sqs;
    }

    @AfterAll
    static void stop() {
        POLLERS.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    private static String create(String name, Map<QueueAttributeName, String> attributes) {
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    @Test
    void createIsIdempotentWithEqualAttributesAndRejectsDifferentOnes() {
        String url = create("idempotent", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "40"));
        assertEquals("http://127.0.0.1:" + server.port() + "/000000000000/idempotent", url);
        assertEquals(url, create("idempotent", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "40")));
        assertThrows(QueueNameExistsException.class, () -> create("idempotent", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "41")));
        assertEquals(url, sqs.getQueueUrl(b -> b.queueName("idempotent")).queueUrl());
    }

    @Test
    void sendAndReceiveCarryBodyAttributesAndSystemAttributes() {
        String url = create("roundtrip", Map.of());
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello \u00e9\uD83D\uDE00")
                .messageAttributes(Map.of(
                        "text", MessageAttributeValue.builder().dataType("String").stringValue("v").build(),
                        "count", MessageAttributeValue.builder().dataType("Number.int").stringValue("42").build(),
                        "blob", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2, 3})).build())));

        // The SDK verifies MD5OfBody and MD5OfMessageAttributes and throws on a mismatch.
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertEquals(1, messages.size());
        Message message = messages.get(0);
        assertEquals("hello \u00e9\uD83D\uDE00", message.body());
        assertEquals("42", message.messageAttributes().get("count").stringValue());
        assertEquals(3, message.messageAttributes().get("blob").binaryValue().asByteArray().length);
        assertEquals("1", message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        assertTrue(message.attributes().containsKey(MessageSystemAttributeName.SENT_TIMESTAMP));
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty(), "in flight, not visible");
    }

    /**
     * Bodies past the codec's in-place limit (1,024 chars) and the MD5's 1 KiB chunks, with pairs split across both, at
     * the largest size SQS takes: the SDK checks MD5OfMessageBody and MD5OfMessageAttributes on send and on receive.
     */
    @Test
    void maximumSizeMultiByteBodiesAndAttributesRoundTripWithMatchingDigests() {
        String url = create("multibyte-max", Map.of());
        Map<String, MessageAttributeValue> attributes = Map.of("note", MessageAttributeValue.builder().dataType("String")
                .stringValue("\u00e9\uD83D\uDE00".repeat(300)).build());
        String unit = "a\u00e9\u4e2d\uD83D\uDE00"; // 1 + 2 + 3 + 4 UTF-8 bytes in 5 chars
        int attributeBytes = "note".length() + "String".length() + 300 * 6;
        String single = unit.repeat((262_144 - attributeBytes) / 10);
        String[] batch = {unit.repeat(6_000) + "z", "z" + unit.repeat(6_000)};
        sqs.sendMessage(b -> b.queueUrl(url).messageBody(single).messageAttributes(attributes));
        SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("0").messageBody(batch[0]).messageAttributes(attributes).build(),
                SendMessageBatchRequestEntry.builder().id("1").messageBody(batch[1]).build()));
        assertEquals(2, sent.successful().size(), sent.failed().toString());

        Set<String> received = new HashSet<>();
        for (int attempt = 0; attempt < 20 && received.size() < 3; attempt++) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .messageAttributeNames("All")).messages()) {
                received.add(message.body());
            }
        }
        assertEquals(Set.of(single, batch[0], batch[1]), received);
    }

    @Test
    void messageReturnsAfterVisibilityTimeoutWithANewReceiptHandle() throws Exception {
        String url = create("visibility", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("again"));
        Message first = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0);
        Thread.sleep(1_200);
        Message second = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages().get(0);
        assertEquals(first.messageId(), second.messageId());
        assertNotEquals(first.receiptHandle(), second.receiptHandle());
        assertEquals("2", second.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));

        // A stale handle is accepted but does not delete; the current one does.
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(first.receiptHandle()));
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(second.receiptHandle()).visibilityTimeout(0));
        Message third = sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages().get(0);
        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(third.receiptHandle()));
        Thread.sleep(1_200);
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty());
    }

    @Test
    void longPollReturnsAsSoonAsAMessageArrives() throws Exception {
        String url = create("longpoll", Map.of());
        long started = System.nanoTime();
        CompletableFuture<ReceiveMessageResponse> poll = CompletableFuture.supplyAsync(
                () -> sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(10)));
        Thread.sleep(500);
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("wake"));
        ReceiveMessageResponse response = poll.get(10, TimeUnit.SECONDS);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("wake", response.messages().get(0).body());
        assertTrue(elapsedMillis < 5_000, "woke after " + elapsedMillis + " ms");
    }

    @Test
    void emptyLongPollWaitsForItsWaitTime() {
        String url = create("emptypoll", Map.of());
        long started = System.nanoTime();
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().isEmpty());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 900);
    }

    @Test
    void batchesReportPerEntryResults() {
        String url = create("batches", Map.of(QueueAttributeName.MAXIMUM_MESSAGE_SIZE, "1024"));
        SendMessageBatchResponse sent = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("a").messageBody("one").build(),
                SendMessageBatchRequestEntry.builder().id("b").messageBody("x".repeat(2000)).build(),
                SendMessageBatchRequestEntry.builder().id("c").messageBody("three").build()));
        assertEquals(List.of("a", "c"), sent.successful().stream().map(entry -> entry.id()).sorted().toList());
        BatchResultErrorEntry tooBig = sent.failed().get(0);
        assertEquals("b", tooBig.id());
        assertEquals("InvalidParameterValue", tooBig.code());
        assertTrue(tooBig.senderFault());

        List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages();
        assertEquals(2, received.size());
        var deleted = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(
                DeleteMessageBatchRequestEntry.builder().id("1").receiptHandle(received.get(0).receiptHandle()).build(),
                DeleteMessageBatchRequestEntry.builder().id("2").receiptHandle("not-a-handle").build()));
        assertEquals(1, deleted.successful().size());
        assertEquals("ReceiptHandleIsInvalid", deleted.failed().get(0).code());
    }

    @Test
    void messagesOverMaxReceiveCountMoveToTheDeadLetterQueue() throws Exception {
        String dlq = create("orders-dlq", Map.of());
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String url = create("orders", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":2}"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("poison"));
        for (int i = 0; i < 2; i++) {
            assertEquals(1, sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(3)).messages().size());
        }
        Thread.sleep(1_200);
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().isEmpty());
        Message dead = sqs.receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(2)
                .messageSystemAttributeNames(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN)).messages().get(0);
        assertEquals("poison", dead.body());
        assertTrue(dead.attributes().get(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN).endsWith(":orders"));
        assertEquals(List.of(url), sqs.listDeadLetterSourceQueues(b -> b.queueUrl(dlq)).queueUrls());
    }

    @Test
    void purgeEmptiesTheQueueOncePerMinute() {
        String url = create("purged", Map.of());
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("gone"));
        sqs.purgeQueue(b -> b.queueUrl(url));
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url)).messages().isEmpty());
        PurgeQueueInProgressException again = assertThrows(PurgeQueueInProgressException.class,
                () -> sqs.purgeQueue(b -> b.queueUrl(url)));
        assertEquals(403, again.statusCode(), "the service model's status for PurgeQueueInProgress");
    }

    @Test
    void attributesTagsAndListingWork() {
        String url = create("listed-a", Map.of(QueueAttributeName.DELAY_SECONDS, "0"));
        create("listed-b", Map.of());
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("counted"));
        Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("All"))
                .attributesAsStrings();
        assertEquals("1", attributes.get("ApproximateNumberOfMessages"));
        assertEquals("262144", attributes.get("MaximumMessageSize"));
        assertEquals("345600", attributes.get("MessageRetentionPeriod"));
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60")));
        assertEquals("60", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                .attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT));

        sqs.tagQueue(b -> b.queueUrl(url).tags(Map.of("team", "alerts", "env", "test")));
        sqs.untagQueue(b -> b.queueUrl(url).tagKeys("env"));
        assertEquals(Map.of("team", "alerts"), sqs.listQueueTags(b -> b.queueUrl(url)).tags());

        List<String> listed = sqs.listQueues(b -> b.queueNamePrefix("listed-")).queueUrls();
        assertEquals(2, listed.size());
        var firstPage = sqs.listQueues(b -> b.queueNamePrefix("listed-").maxResults(1));
        assertEquals(1, firstPage.queueUrls().size());
        var secondPage = sqs.listQueues(b -> b.queueNamePrefix("listed-").maxResults(1).nextToken(firstPage.nextToken()));
        assertTrue(secondPage.queueUrls().get(0).endsWith("listed-b"));
    }

    @Test
    void unknownQueuesAndBadHandlesFailWithSqsErrors() {
        String missing = "http://127.0.0.1:" + server.port() + "/000000000000/missing";
        assertThrows(QueueDoesNotExistException.class, () -> sqs.sendMessage(b -> b.queueUrl(missing).messageBody("x")));
        assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueUrl(b -> b.queueName("missing")));
        String url = create("handles", Map.of());
        assertThrows(ReceiptHandleIsInvalidException.class, () -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle("garbage")));
        assertThrows(ReceiptHandleIsInvalidException.class,
                () -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle("garbage").visibilityTimeout(5)));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("visible"));
        String handle = sqs.receiveMessage(b -> b.queueUrl(url)).messages().get(0).receiptHandle();
        sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(handle).visibilityTimeout(0));
        SqsException notInFlight = assertThrows(SqsException.class,
                () -> sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(handle).visibilityTimeout(5)));
        assertEquals("AWS.SimpleQueueService.MessageNotInflight", notInFlight.awsErrorDetails().errorCode());
    }

    @Test
    void deletedQueueNameIsReservedForSixtySeconds() {
        String url = create("short-lived", Map.of());
        sqs.deleteQueue(b -> b.queueUrl(url));
        assertThrows(QueueDoesNotExistException.class, () -> sqs.getQueueUrl(b -> b.queueName("short-lived")));
        SqsException reserved = assertThrows(SqsException.class, () -> create("short-lived", Map.of()));
        // The SDK reports the legacy code from x-amzn-query-error, as it does against Amazon SQS.
        assertEquals("AWS.SimpleQueueService.QueueDeletedRecently", reserved.awsErrorDetails().errorCode());
        assertFalse(sqs.listQueues().queueUrls().contains(url));
    }

    @Test
    void aMessageMoveTaskRedrivesDeadLettersBackToTheirSource() throws Exception {
        String dlq = create("redrive-dlq", Map.of());
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:redrive-dlq";
        String url = create("redrive-source", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}"));
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("retry me"));
        assertEquals(1, sqs.receiveMessage(b -> b.queueUrl(url)).messages().size());
        Thread.sleep(1_200);
        assertTrue(sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages().isEmpty());
        assertEquals("1", sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));

        String handle = sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn)).taskHandle();
        assertTrue(handle != null && !handle.isEmpty());
        String status = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!status.equals("COMPLETED") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results().get(0).status();
        }
        assertEquals("COMPLETED", status);
        assertEquals(1L, sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results().get(0).approximateNumberOfMessagesMoved());
        assertEquals("retry me", sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(2)).messages().get(0).body());
    }

    @Test
    void aMessageMoveTaskMovesTheMessagesItCountedAtItsStartOldestFirstAndLeavesLaterOnesForTheNextTask() throws Exception {
        String dlq = create("counted-dlq", Map.of());
        String dlqArn = "arn:aws:sqs:us-east-1:000000000000:counted-dlq";
        create("counted-source", Map.of(QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":1}"));
        String replay = create("counted-replay", Map.of());
        for (int i = 0; i < 3; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("early-" + n));
        }

        // One message a second: the later messages are in the dead-letter queue long before the task could finish.
        sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn).destinationArn("arn:aws:sqs:us-east-1:000000000000:counted-replay")
                .maxNumberOfMessagesPerSecond(1));
        for (int i = 0; i < 3; i++) {
            int n = i;
            sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("late-" + n));
        }
        var running = sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results().get(0);
        assertEquals(3L, running.approximateNumberOfMessagesToMove());

        var ended = running;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ended.status().equals("RUNNING") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            ended = sqs.listMessageMoveTasks(b -> b.sourceArn(dlqArn)).results().get(0);
        }
        assertEquals("COMPLETED", ended.status(), ended.toString());
        assertEquals(3L, ended.approximateNumberOfMessagesToMove(), ended.toString());
        assertEquals(3L, ended.approximateNumberOfMessagesMoved(), ended.toString());
        assertEquals(null, ended.taskHandle(), "a task that is not RUNNING lists no handle");
        assertEquals(List.of("early-0", "early-1", "early-2"), drain(replay));
        assertEquals(List.of("late-0", "late-1", "late-2"), drain(dlq));
    }

    /** Every body a queue holds, sorted, deleting as it goes. */
    private static List<String> drain(String url) {
        List<String> bodies = new java.util.ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            for (Message message : batch) {
                bodies.add(message.body());
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        } while (!batch.isEmpty());
        bodies.sort(null);
        return bodies;
    }

    @Test
    void aLongPollWhoseClientHangsUpStopsWaiting() throws Exception {
        create("abandoned", Map.of());
        String body = "{\"QueueUrl\":\"http://127.0.0.1:" + server.port() + "/000000000000/abandoned\",\"WaitTimeSeconds\":20}";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            String request = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: AmazonSQS.ReceiveMessage\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            awaitWaiters(1);
        }
        awaitWaiters(0);
    }

    private static void awaitWaiters(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double waiting = -1;
        while (System.nanoTime() < deadline) {
            waiting = server.server.meters().get("sluice.sqs.receive.waiters").gauge().value();
            if (waiting == expected) {
                return;
            }
            Thread.sleep(20);
        }
        assertEquals(expected, waiting, "long polls waiting");
    }

    @Test
    void theInProcessQueueClientValidatesLikeTheSqsApi() throws Exception {
        String url = create("in-process", Map.of());
        var client = server.server.queueClient();
        var bad = new dev.sluice.clientsdk.model.SendMessageRequest(url, "nul \u0000 is not allowed", null, Map.of(), Map.of(), null, null);
        var failure = assertThrows(java.util.concurrent.ExecutionException.class, () -> client.sendMessage(bad).get(10, TimeUnit.SECONDS));
        assertEquals(dev.sluice.clientsdk.SqsError.INVALID_MESSAGE_CONTENTS, ((dev.sluice.clientsdk.SqsException) failure.getCause()).error());
        var good = new dev.sluice.clientsdk.model.SendMessageRequest(url, "fine", null, Map.of(), Map.of(), null, null);
        assertTrue(client.sendMessage(good).get(10, TimeUnit.SECONDS).messageId() != null);
    }

    @Test
    void aFairQueueServesAQuietTenantBeforeTheBacklogOfANoisyOne() {
        String url = create("fair", Map.of());
        for (int batch = 0; batch < 5; batch++) {
            List<SendMessageBatchRequestEntry> entries = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody("noisy-" + (batch * 10 + i))
                        .messageGroupId("tenant-a").build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
        }
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("quiet").messageGroupId("tenant-b"));
        for (int i = 0; i < 3; i++) {
            assertEquals(10, sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages().size());
        }

        List<Message> next = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2)
                .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
        assertEquals(List.of("quiet", "noisy-30"), next.stream().map(Message::body).toList());
        assertEquals("tenant-b", next.get(0).attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID));
    }

    // ---- long polls woken by sends ----

    /**
     * A message sent to a queue with several long polls waiting wakes one of them, not all: one receive is proposed,
     * not one per waiter (each of which but one came back empty). The others keep waiting and take the later messages.
     */
    @Test
    void oneSendWakesOneOfFourWaitingLongPollsAndTheOthersTakeTheNextMessages() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("one-wakes-one")).queueUrl();
        List<CompletableFuture<List<Message>>> polls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            polls.add(CompletableFuture.supplyAsync(() -> longPoll(url), POLLERS));
        }
        server.awaitWaiters(4);
        Map<String, Long> before = QueueCommandCounts.of(server.server);
        sqs.sendMessage(b -> b.queueUrl(url).messageBody("first"));
        CompletableFuture.anyOf(polls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        server.awaitWaiters(3);
        Thread.sleep(300); // room for any further receive to show up in the count
        Map<String, Long> spent = QueueCommandCounts.difference(before, QueueCommandCounts.of(server.server));
        spent.remove("record_usage"); // the edge-usage flush's timer, not this traffic's
        assertEquals(Map.of("send", 1L, "receive", 1L), spent);
        assertEquals(1, polls.stream().filter(CompletableFuture::isDone).count());

        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(
                SendMessageBatchRequestEntry.builder().id("a").messageBody("second").build(),
                SendMessageBatchRequestEntry.builder().id("b").messageBody("third").build(),
                SendMessageBatchRequestEntry.builder().id("c").messageBody("fourth").build()));
        Set<String> bodies = new HashSet<>();
        for (CompletableFuture<List<Message>> poll : polls) {
            List<Message> messages = poll.get(10, TimeUnit.SECONDS);
            assertEquals(1, messages.size());
            bodies.add(messages.get(0).body());
        }
        assertEquals(Set.of("first", "second", "third", "fourth"), bodies);
    }

    /**
     * Sixteen long-polling consumers, bursts of 1 to 10 messages: every burst is received well within the polls'
     * 20 s wait (a lost wake-up would leave a message until some poll's wait ran out).
     */
    @Test
    void burstsAmongManyWaitingLongPollsAreAllReceivedWithoutWaitingOutAPoll() throws Exception {
        String url = sqs.createQueue(b -> b.queueName("bursts")).queueUrl();
        Set<String> received = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        List<CompletableFuture<Void>> consumers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            consumers.add(CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    for (Message message : longPoll(url)) {
                        received.add(message.body());
                        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                    }
                }
            }, POLLERS));
        }
        server.awaitWaiters(16);
        int sent = 0;
        int[] bursts = {1, 3, 10, 2, 7, 1, 5, 10, 4, 1};
        for (int burst : bursts) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody("message-" + sent++).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (received.size() < sent) {
                assertTrue(System.nanoTime() < deadline, "received " + received.size() + " of " + sent + " within 8 s");
                Thread.sleep(10);
            }
        }
        running.set(false);
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(stopEntries(0)));
        sqs.sendMessageBatch(b -> b.queueUrl(url).entries(stopEntries(8)));
        CompletableFuture.allOf(consumers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(sent, received.stream().filter(body -> body.startsWith("message-")).count());
    }

    /** Twice eight messages end the sixteen consumers' last long polls (one message each). */
    private static List<SendMessageBatchRequestEntry> stopEntries(int first) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = first; i < first + 8; i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("s" + i).messageBody("stop-" + i).build());
        }
        return entries;
    }

    private static List<Message> longPoll(String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(1).waitTimeSeconds(20)).messages();
    }
}
