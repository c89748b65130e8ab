package dev.sluice.clientsdk.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.MessageMd5;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link QueueClient} contract as one suite: every method, every error its javadoc documents
 * (except OverLimit, which needs 120,000 messages in flight, and InvalidIdFormat, which Sluice never
 * returns). A subclass supplies a client connected to a running server; the same tests then hold for
 * the in-process client and the HTTP client. Queue names are unique per test, so tests share one
 * server and may run in any order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class QueueClientContract {

    private static final AtomicInteger QUEUES = new AtomicInteger();
    private final String runId = Long.toString(System.nanoTime() % 1_000_000_000L, 36);

    /** The client under test, connected to a running server. */
    protected abstract QueueClient client();

    // ---- queue administration ----

    @Test
    public void createQueueIsIdempotentForTheSameAttributes() {
        String name = uniqueName("create");
        String url = createQueue(name, Map.of("VisibilityTimeout", "40"));
        assertTrue(url.endsWith("/" + name), url);
        assertEquals(url, createQueue(name, Map.of("VisibilityTimeout", "40")));
        assertEquals(url, await(client().getQueueUrl(new GetQueueUrlRequest(name, null))).queueUrl());
    }

    @Test
    public void createQueueRejectsWhatSqsRejects() {
        String name = uniqueName("exists");
        createQueue(name, Map.of("VisibilityTimeout", "40"));
        assertError(SqsError.QUEUE_NAME_EXISTS,
                client().createQueue(new CreateQueueRequest(name, Map.of("VisibilityTimeout", "41"), null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().createQueue(new CreateQueueRequest("bad name!", null, null)));
        assertError(SqsError.INVALID_ATTRIBUTE_NAME,
                client().createQueue(new CreateQueueRequest(uniqueName("attr"), Map.of("Bogus", "1"), null)));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE,
                client().createQueue(new CreateQueueRequest(uniqueName("attr"), Map.of("DelaySeconds", "901"), null)));
    }

    @Test
    public void aDeletedQueueIsGoneAndItsNameRestsForAMinute() {
        String name = uniqueName("deleted");
        String url = createQueue(name, Map.of());
        await(client().deleteQueue(new DeleteQueueRequest(url)));
        assertError(SqsError.QUEUE_DOES_NOT_EXIST, client().getQueueUrl(new GetQueueUrlRequest(name, null)));
        assertError(SqsError.QUEUE_DELETED_RECENTLY, client().createQueue(new CreateQueueRequest(name, null, null)));
    }

    @Test
    public void everyQueueActionOnAMissingQueueIsQueueDoesNotExist() {
        String missing = createQueue(uniqueName("probe"), Map.of()).replaceAll("[^/]+$", uniqueName("missing"));
        assertError(SqsError.QUEUE_DOES_NOT_EXIST, client().getQueueUrl(new GetQueueUrlRequest(uniqueName("none"), null)));
        assertError(SqsError.QUEUE_DOES_NOT_EXIST, client().deleteQueue(new DeleteQueueRequest(missing)));
        assertError(SqsError.QUEUE_DOES_NOT_EXIST,
                client().getQueueAttributes(new GetQueueAttributesRequest(missing, List.of("All"))));
        assertError(SqsError.QUEUE_DOES_NOT_EXIST, client().sendMessage(send(missing, "x")));
        assertError(SqsError.QUEUE_DOES_NOT_EXIST, client().receiveMessage(receive(missing, 1, 0)));
        assertError(SqsError.QUEUE_DOES_NOT_EXIST, client().purgeQueue(new PurgeQueueRequest(missing)));
        assertError(SqsError.QUEUE_DOES_NOT_EXIST, client().listQueueTags(new ListQueueTagsRequest(missing)));
    }

    @Test
    public void aQueueUrlThatCannotBeParsedIsInvalidAddress() {
        assertError(SqsError.INVALID_ADDRESS, client().sendMessage(send("not a queue url", "x")));
        assertError(SqsError.MISSING_PARAMETER, client().sendMessage(send(null, "x")));
    }

    @Test
    public void listQueuesFiltersByPrefixAndPages() {
        String prefix = uniqueName("list");
        List<String> urls = List.of(createQueue(prefix + "-a", Map.of()), createQueue(prefix + "-b", Map.of()),
                createQueue(prefix + "-c", Map.of()));
        ListQueuesResponse first = await(client().listQueues(new ListQueuesRequest(prefix, null, 2)));
        assertEquals(2, first.queueUrls().size());
        assertNotNull(first.nextToken());
        ListQueuesResponse second = await(client().listQueues(new ListQueuesRequest(prefix, first.nextToken(), 2)));
        assertNull(second.nextToken());
        List<String> all = new ArrayList<>(first.queueUrls());
        all.addAll(second.queueUrls());
        assertEquals(urls, all.stream().sorted().toList());
        assertEquals(3, await(client().listQueues(new ListQueuesRequest(prefix, null, null))).queueUrls().size());
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().listQueues(new ListQueuesRequest(prefix, null, 1001)));
    }

    @Test
    public void queueAttributesAreReadAndChanged() {
        String url = createQueue(uniqueName("attributes"), Map.of("DelaySeconds", "5"));
        await(client().setQueueAttributes(new SetQueueAttributesRequest(url, Map.of("VisibilityTimeout", "99"))));
        Map<String, String> attributes = await(client().getQueueAttributes(
                new GetQueueAttributesRequest(url, List.of("All")))).attributes();
        assertEquals("5", attributes.get("DelaySeconds"));
        assertEquals("99", attributes.get("VisibilityTimeout"));
        assertEquals("0", attributes.get("ApproximateNumberOfMessages"));
        assertTrue(attributes.get("QueueArn").endsWith(":" + url.substring(url.lastIndexOf('/') + 1)));
        assertEquals(Map.of("VisibilityTimeout", "99"), await(client().getQueueAttributes(
                new GetQueueAttributesRequest(url, List.of("VisibilityTimeout")))).attributes());
        assertError(SqsError.INVALID_ATTRIBUTE_NAME,
                client().getQueueAttributes(new GetQueueAttributesRequest(url, List.of("Bogus"))));
        assertError(SqsError.INVALID_ATTRIBUTE_NAME,
                client().setQueueAttributes(new SetQueueAttributesRequest(url, Map.of("Bogus", "1"))));
        assertError(SqsError.INVALID_ATTRIBUTE_VALUE,
                client().setQueueAttributes(new SetQueueAttributesRequest(url, Map.of("VisibilityTimeout", "43201"))));
    }

    @Test
    public void tagsAreAddedListedAndRemoved() {
        String url = createQueue(uniqueName("tags"), Map.of());
        await(client().tagQueue(new TagQueueRequest(url, Map.of("team", "ops", "env", "test"))));
        assertEquals(Map.of("team", "ops", "env", "test"), await(client().listQueueTags(new ListQueueTagsRequest(url))).tags());
        await(client().untagQueue(new UntagQueueRequest(url, List.of("env", "unknown"))));
        assertEquals(Map.of("team", "ops"), await(client().listQueueTags(new ListQueueTagsRequest(url))).tags());
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().tagQueue(new TagQueueRequest(url, Map.of("aws:x", "1"))));
        assertError(SqsError.MISSING_PARAMETER, client().untagQueue(new UntagQueueRequest(url, List.of())));
    }

    // ---- messages ----

    @Test
    public void aSentMessageIsReceivedWithItsAttributesAndDigests() {
        String url = createQueue(uniqueName("send"), Map.of());
        Map<String, MessageAttributeValue> attributes = Map.of(
                "kind", MessageAttributeValue.ofString("String", "alert"),
                "raw", MessageAttributeValue.ofBinary("Binary", new byte[] {0, 1, (byte) 0xff}));
        SendMessageResponse sent = await(client().sendMessage(
                new SendMessageRequest(url, "disk full \u00e9", null, attributes, null, null, null)));
        assertNotNull(sent.messageId());
        assertEquals(MessageMd5.ofBody("disk full \u00e9"), sent.md5OfMessageBody());
        assertEquals(MessageMd5.ofMessageAttributes(attributes), sent.md5OfMessageAttributes());

        Message message = receiveOne(new ReceiveMessageRequest(url, List.of("All"), null, List.of("All"), 1, null, 5,
                null));
        assertEquals(sent.messageId(), message.messageId());
        assertEquals("disk full \u00e9", message.body());
        assertEquals(MessageMd5.ofBody("disk full \u00e9"), message.md5OfBody());
        assertEquals(attributes, message.messageAttributes());
        assertEquals(MessageMd5.ofMessageAttributes(attributes), message.md5OfMessageAttributes());
        assertEquals("1", message.attributes().get("ApproximateReceiveCount"));
        assertNotNull(message.attributes().get("SentTimestamp"));
    }

    @Test
    public void sendRejectsWhatSqsRejects() {
        String url = createQueue(uniqueName("reject"), Map.of("MaximumMessageSize", "1024"));
        assertError(SqsError.INVALID_MESSAGE_CONTENTS, client().sendMessage(send(url, "nul \u0000 inside")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().sendMessage(send(url, "x".repeat(1025))));
        assertError(SqsError.MISSING_PARAMETER, client().sendMessage(send(url, null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                client().sendMessage(new SendMessageRequest(url, "x", 901, null, null, null, null)));
    }

    @Test
    public void sendBatchReportsEveryEntryOnceAndRejectsBadBatches() {
        String url = createQueue(uniqueName("batch"), Map.of());
        SendMessageBatchResponse response = await(client().sendMessageBatch(new SendMessageBatchRequest(url, List.of(
                entry("a", "first"), entry("b", "bad \u0000"), entry("c", "third")))));
        assertEquals(List.of("a", "c"), response.successful().stream().map(SendMessageBatchResultEntry::id).toList());
        assertEquals(MessageMd5.ofBody("first"), response.successful().get(0).md5OfMessageBody());
        assertEquals(1, response.failed().size());
        BatchResultErrorEntry failed = response.failed().get(0);
        assertEquals("b", failed.id());
        assertEquals(SqsError.INVALID_MESSAGE_CONTENTS.legacyCode(), failed.code());
        assertTrue(failed.senderFault());

        assertError(SqsError.EMPTY_BATCH_REQUEST, client().sendMessageBatch(new SendMessageBatchRequest(url, List.of())));
        List<SendMessageBatchRequestEntry> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(entry("e" + i, "m"));
        }
        assertError(SqsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
                client().sendMessageBatch(new SendMessageBatchRequest(url, eleven)));
        assertError(SqsError.BATCH_ENTRY_IDS_NOT_DISTINCT, client().sendMessageBatch(
                new SendMessageBatchRequest(url, List.of(entry("same", "1"), entry("same", "2")))));
        assertError(SqsError.INVALID_BATCH_ENTRY_ID,
                client().sendMessageBatch(new SendMessageBatchRequest(url, List.of(entry("bad id!", "1")))));
        String quarter = "q".repeat(250 * 1024);
        assertError(SqsError.BATCH_REQUEST_TOO_LONG, client().sendMessageBatch(new SendMessageBatchRequest(url, List.of(
                entry("1", quarter), entry("2", quarter), entry("3", quarter), entry("4", quarter), entry("5", quarter)))));
    }

    @Test
    public void aLongPollOnAnEmptyQueueWaitsThenAnswersEmpty() {
        String url = createQueue(uniqueName("poll"), Map.of());
        long started = System.nanoTime();
        assertTrue(await(client().receiveMessage(receive(url, 10, 1))).messages().isEmpty());
        assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(900));
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().receiveMessage(receive(url, 11, 0)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().receiveMessage(receive(url, 1, 21)));
    }

    @Test
    public void aLongPollIsAnsweredByASendWhileItWaits() {
        String url = createQueue(uniqueName("wake"), Map.of());
        CompletableFuture<ReceiveMessageResponse> polling = client().receiveMessage(receive(url, 1, 10));
        await(client().sendMessage(send(url, "wake up")));
        assertEquals("wake up", await(polling).messages().get(0).body());
    }

    @Test
    public void deleteRemovesAMessageAndIsIdempotent() {
        String url = createQueue(uniqueName("delete"), Map.of());
        await(client().sendMessage(send(url, "once")));
        Message message = receiveOne(receive(url, 1, 5));
        await(client().deleteMessage(new DeleteMessageRequest(url, message.receiptHandle())));
        await(client().deleteMessage(new DeleteMessageRequest(url, message.receiptHandle())));
        Map<String, String> depths = await(client().getQueueAttributes(new GetQueueAttributesRequest(url,
                List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")))).attributes();
        assertEquals(Map.of("ApproximateNumberOfMessages", "0", "ApproximateNumberOfMessagesNotVisible", "0"), depths);
        assertError(SqsError.RECEIPT_HANDLE_IS_INVALID, client().deleteMessage(new DeleteMessageRequest(url, "garbage")));
        assertError(SqsError.MISSING_PARAMETER, client().deleteMessage(new DeleteMessageRequest(url, null)));
    }

    @Test
    public void deleteBatchReportsEveryEntryOnce() {
        String url = createQueue(uniqueName("deletebatch"), Map.of());
        await(client().sendMessage(send(url, "one")));
        Message message = receiveOne(receive(url, 1, 5));
        DeleteMessageBatchResponse response = await(client().deleteMessageBatch(new DeleteMessageBatchRequest(url,
                List.of(new DeleteMessageBatchRequestEntry("ok", message.receiptHandle()),
                        new DeleteMessageBatchRequestEntry("bad", "garbage")))));
        assertEquals(List.of("ok"), response.successful().stream().map(DeleteMessageBatchResultEntry::id).toList());
        assertEquals(List.of(SqsError.RECEIPT_HANDLE_IS_INVALID.legacyCode()),
                response.failed().stream().map(BatchResultErrorEntry::code).toList());
        assertError(SqsError.EMPTY_BATCH_REQUEST, client().deleteMessageBatch(new DeleteMessageBatchRequest(url, List.of())));
    }

    @Test
    public void visibilityChangesMakeAMessageVisibleAgainAndFollowSqsRules() {
        String url = createQueue(uniqueName("visibility"), Map.of());
        await(client().sendMessage(send(url, "again")));
        Message first = receiveOne(new ReceiveMessageRequest(url, null, null, null, 1, 300, 5, null));
        await(client().changeMessageVisibility(new ChangeMessageVisibilityRequest(url, first.receiptHandle(), 0)));
        // Visible again now, so no longer in flight for the old handle.
        assertError(SqsError.MESSAGE_NOT_INFLIGHT,
                client().changeMessageVisibility(new ChangeMessageVisibilityRequest(url, first.receiptHandle(), 30)));
        Message second = receiveOne(new ReceiveMessageRequest(url, List.of("ApproximateReceiveCount"), null, null, 1,
                300, 5, null));
        assertEquals("2", second.attributes().get("ApproximateReceiveCount"));
        assertError(SqsError.RECEIPT_HANDLE_IS_INVALID,
                client().changeMessageVisibility(new ChangeMessageVisibilityRequest(url, "garbage", 30)));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                client().changeMessageVisibility(new ChangeMessageVisibilityRequest(url, second.receiptHandle(), 43201)));
        assertError(SqsError.MISSING_PARAMETER,
                client().changeMessageVisibility(new ChangeMessageVisibilityRequest(url, second.receiptHandle(), null)));

        ChangeMessageVisibilityBatchResponse batch = await(client().changeMessageVisibilityBatch(
                new ChangeMessageVisibilityBatchRequest(url, List.of(
                        new ChangeMessageVisibilityBatchRequestEntry("ok", second.receiptHandle(), 0),
                        new ChangeMessageVisibilityBatchRequestEntry("bad", "garbage", 0)))));
        assertEquals(List.of("ok"), batch.successful().stream().map(ChangeMessageVisibilityBatchResultEntry::id).toList());
        assertEquals(List.of("bad"), batch.failed().stream().map(BatchResultErrorEntry::id).toList());
        assertEquals("again", receiveOne(receive(url, 1, 5)).body());
    }

    @Test
    public void purgeEmptiesAQueueOnceAMinute() {
        String url = createQueue(uniqueName("purge"), Map.of());
        await(client().sendMessage(send(url, "doomed")));
        await(client().purgeQueue(new PurgeQueueRequest(url)));
        assertTrue(await(client().receiveMessage(receive(url, 10, 0))).messages().isEmpty());
        assertError(SqsError.PURGE_QUEUE_IN_PROGRESS, client().purgeQueue(new PurgeQueueRequest(url)));
    }

    // ---- FIFO queues ----

    @Test
    public void fifoSendsCarryGroupAndDeduplicationIdsAndDeduplicate() {
        String url = createQueue(uniqueName("fifo") + ".fifo", Map.of("FifoQueue", "true"));
        SendMessageResponse first = await(client().sendMessage(
                new SendMessageRequest(url, "one", null, null, null, "dedup-1", "group-a")));
        assertNotNull(first.sequenceNumber());
        SendMessageResponse duplicate = await(client().sendMessage(
                new SendMessageRequest(url, "one again", null, null, null, "dedup-1", "group-a")));
        assertEquals(first.messageId(), duplicate.messageId());
        assertEquals(first.sequenceNumber(), duplicate.sequenceNumber());
        SendMessageBatchResponse batch = await(client().sendMessageBatch(new SendMessageBatchRequest(url, List.of(
                new SendMessageBatchRequestEntry("a", "two", null, null, null, "dedup-2", "group-a"),
                new SendMessageBatchRequestEntry("b", "three", null, null, null, "dedup-3", "group-a")))));
        assertEquals(2, batch.successful().size());
        assertTrue(batch.successful().stream().allMatch(entry -> entry.sequenceNumber() != null));

        List<Message> received = await(client().receiveMessage(new ReceiveMessageRequest(url, List.of("All"), null,
                null, 10, null, 5, "attempt-1"))).messages();
        assertEquals(List.of("one", "two", "three"), received.stream().map(Message::body).toList());
        assertEquals("group-a", received.get(0).attributes().get("MessageGroupId"));
        assertEquals("dedup-1", received.get(0).attributes().get("MessageDeduplicationId"));
        assertEquals(first.sequenceNumber(), received.get(0).attributes().get("SequenceNumber"));
    }

    @Test
    public void fifoRulesAreEnforced() {
        String fifo = createQueue(uniqueName("fiforules") + ".fifo", Map.of("FifoQueue", "true"));
        String standard = createQueue(uniqueName("standard"), Map.of());
        assertError(SqsError.MISSING_PARAMETER, client().sendMessage(
                new SendMessageRequest(fifo, "x", null, null, null, "d", null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().sendMessage(
                new SendMessageRequest(fifo, "x", 5, null, null, "d", "g")));
        // No deduplication id and no content-based deduplication.
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().sendMessage(
                new SendMessageRequest(fifo, "x", null, null, null, null, "g")));
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().sendMessage(
                new SendMessageRequest(standard, "x", null, null, null, "d", null)));
        // FifoQueue=true on a name without .fifo: the name is what is wrong, as SQS says.
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().createQueue(
                new CreateQueueRequest(uniqueName("nofifo"), Map.of("FifoQueue", "true"), null)));
    }

    // ---- dead-letter queues and move tasks ----

    @Test
    public void deadLetterSourcesAreListed() {
        String dlq = createQueue(uniqueName("dlq"), Map.of());
        String source = createQueue(uniqueName("source"), Map.of("RedrivePolicy", redrivePolicy(dlq)));
        assertEquals(List.of(source), await(client().listDeadLetterSourceQueues(
                new ListDeadLetterSourceQueuesRequest(dlq, null, null))).queueUrls());
        assertTrue(await(client().listDeadLetterSourceQueues(
                new ListDeadLetterSourceQueuesRequest(source, null, null))).queueUrls().isEmpty());
    }

    @Test
    public void moveTasksStartListAndCancel() {
        String dlq = createQueue(uniqueName("movedlq"), Map.of());
        String source = createQueue(uniqueName("movesrc"), Map.of("RedrivePolicy", redrivePolicy(dlq)));
        String dlqArn = arnOf(dlq);
        for (int i = 0; i < 5; i++) {
            await(client().sendMessage(send(dlq, "dead " + i)));
        }
        String handle = await(client().startMessageMoveTask(
                new StartMessageMoveTaskRequest(dlqArn, arnOf(source), 1))).taskHandle();
        assertNotNull(handle);
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                client().startMessageMoveTask(new StartMessageMoveTaskRequest(dlqArn, null, 1)));
        List<ListMessageMoveTasksResultEntry> tasks = await(client().listMessageMoveTasks(
                new ListMessageMoveTasksRequest(dlqArn, null))).results();
        assertEquals(1, tasks.size());
        assertEquals(dlqArn, tasks.get(0).sourceArn());
        await(client().cancelMessageMoveTask(new CancelMessageMoveTaskRequest(handle)));
        assertError(SqsError.INVALID_PARAMETER_VALUE, client().cancelMessageMoveTask(new CancelMessageMoveTaskRequest(handle)));
        assertEquals("CANCELLED", await(client().listMessageMoveTasks(
                new ListMessageMoveTasksRequest(dlqArn, null))).results().get(0).status());
    }

    @Test
    public void moveTaskErrors() {
        String plain = createQueue(uniqueName("plain"), Map.of());
        String missingArn = arnOf(plain).replaceAll("[^:]+$", uniqueName("nothere"));
        assertError(SqsError.RESOURCE_NOT_FOUND,
                client().startMessageMoveTask(new StartMessageMoveTaskRequest(missingArn, null, null)));
        assertError(SqsError.INVALID_PARAMETER_VALUE,
                client().startMessageMoveTask(new StartMessageMoveTaskRequest(arnOf(plain), null, null)));
        assertError(SqsError.RESOURCE_NOT_FOUND,
                client().listMessageMoveTasks(new ListMessageMoveTasksRequest(missingArn, null)));
        assertError(SqsError.RESOURCE_NOT_FOUND,
                client().cancelMessageMoveTask(new CancelMessageMoveTaskRequest("no-such-task")));
        assertError(SqsError.MISSING_PARAMETER, client().startMessageMoveTask(new StartMessageMoveTaskRequest(null, null, null)));
    }

    // ---- helpers ----

    /** A queue name unique to this run and test: {@code <label>-<run>-<n>}. */
    protected String uniqueName(String label) {
        return label + "-" + runId + "-" + QUEUES.incrementAndGet();
    }

    protected String createQueue(String name, Map<String, String> attributes) {
        return await(client().createQueue(new CreateQueueRequest(name, attributes, null))).queueUrl();
    }

    private String arnOf(String url) {
        return await(client().getQueueAttributes(new GetQueueAttributesRequest(url, List.of("QueueArn"))))
                .attributes().get("QueueArn");
    }

    private String redrivePolicy(String deadLetterQueueUrl) {
        return "{\"deadLetterTargetArn\":\"" + arnOf(deadLetterQueueUrl) + "\",\"maxReceiveCount\":3}";
    }

    private Message receiveOne(ReceiveMessageRequest request) {
        List<Message> messages = await(client().receiveMessage(request)).messages();
        assertEquals(1, messages.size(), "messages received");
        return messages.get(0);
    }

    protected static SendMessageRequest send(String url, String body) {
        return new SendMessageRequest(url, body, null, null, null, null, null);
    }

    protected static ReceiveMessageRequest receive(String url, int max, int waitSeconds) {
        return new ReceiveMessageRequest(url, null, null, null, max, null, waitSeconds, null);
    }

    private static SendMessageBatchRequestEntry entry(String id, String body) {
        return new SendMessageBatchRequestEntry(id, body, null, null, null, null, null);
    }

    /** The future's value; fails the test on an error or after 30 s. */
    protected static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("call failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("call did not complete: " + e, e);
        }
    }

    /** Asserts that the future fails with an {@link SqsException} of {@code expected}. */
    protected static void assertError(SqsError expected, CompletableFuture<?> future) {
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS));
        SqsException error = assertInstanceOf(SqsException.class, thrown.getCause(), thrown.getCause().toString());
        assertEquals(expected, error.error(), error.getMessage());
    }
}
