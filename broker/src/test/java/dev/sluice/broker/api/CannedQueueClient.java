package dev.sluice.broker.api;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.*;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A test-only queue client with canned answers. Queues named {@code missing} do not exist; sends to {@code wrong-md5} answer a wrong body MD5. MD5s
 * are left null on purpose: the edge must fill them in. Thread-safe (stateless).
 */
public final class CannedQueueClient implements QueueClient {

    public static final String MESSAGE_ID = "5fea7756-0ea4-451a-a703-a558b933e274";
    public static final String RECEIPT_HANDLE = "MbZj6wDWli+JvwwJaBV+3dcjk2YW2vA3+STFFljTM8tJJg6HRG6PYSasuWXPJB+Cw";
    /** Answered as MD5OfMessageBody for queue {@code wrong-md5}, to show the SDKs do verify. */
    public static final String WRONG_MD5 = "00000000000000000000000000000000";
    public static final String BODY = "Alert: disk full on host-7\r\n<&>";

    private final Supplier<String> base;

    /** @param base the server's base URL, known once it listens */
    public CannedQueueClient(Supplier<String> base) {
        this.base = base;
    }

    public static Map<String, MessageAttributeValue> attributes() {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("severity", MessageAttributeValue.ofString("String", "critical"));
        attributes.put("count", MessageAttributeValue.ofString("Number", "42"));
        attributes.put("blob", MessageAttributeValue.ofBinary("Binary", "bytes\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1)));
        return attributes;
    }

    private <T> CompletableFuture<T> onQueue(String queueUrl, T answer) {
        boolean missing = QueueUrl.parse(queueUrl).map(queue -> queue.queueName().equals("missing")).orElse(true);
        return missing ? CompletableFuture.failedFuture(SqsError.QUEUE_DOES_NOT_EXIST.exception())
                : CompletableFuture.completedFuture(answer);
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return CompletableFuture.completedFuture(new CreateQueueResponse(base.get() + "/000000000000/" + request.queueName()));
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        String url = base.get() + "/000000000000/" + request.queueName();
        return onQueue(url, new GetQueueUrlResponse(url));
    }

    @Override
    public CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request) {
        return CompletableFuture.completedFuture(new ListQueuesResponse(List.of(base.get() + "/000000000000/alerts"), null));
    }

    @Override
    public CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request) {
        return onQueue(request.queueUrl(), new DeleteQueueResponse());
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return onQueue(request.queueUrl(), new GetQueueAttributesResponse(Map.of("VisibilityTimeout", "30")));
    }

    @Override
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request) {
        return onQueue(request.queueUrl(), new SetQueueAttributesResponse());
    }

    @Override
    public CompletableFuture<TagQueueResponse> tagQueue(TagQueueRequest request) {
        return onQueue(request.queueUrl(), new TagQueueResponse());
    }

    @Override
    public CompletableFuture<UntagQueueResponse> untagQueue(UntagQueueRequest request) {
        return onQueue(request.queueUrl(), new UntagQueueResponse());
    }

    @Override
    public CompletableFuture<ListQueueTagsResponse> listQueueTags(ListQueueTagsRequest request) {
        return onQueue(request.queueUrl(), new ListQueueTagsResponse(Map.of("team", "ops")));
    }

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        String md5 = request.queueUrl().endsWith("/wrong-md5") ? WRONG_MD5 : null;
        return onQueue(request.queueUrl(), new SendMessageResponse(md5, null, null, MESSAGE_ID, null));
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return onQueue(request.queueUrl(), new SendMessageBatchResponse(request.entries().stream()
                .map(entry -> new SendMessageBatchResultEntry(entry.id(), MESSAGE_ID + "-" + entry.id(),
                        null, null, null, null))
                .toList(), List.of()));
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        Map<String, String> system = new LinkedHashMap<>();
        system.put("SentTimestamp", "1700000000000");
        system.put("ApproximateReceiveCount", "1");
        Message message = new Message(MESSAGE_ID, RECEIPT_HANDLE, null, BODY, system, null, attributes());
        return onQueue(request.queueUrl(), new ReceiveMessageResponse(List.of(message)));
    }

    @Override
    public CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request) {
        return onQueue(request.queueUrl(), new DeleteMessageResponse());
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return onQueue(request.queueUrl(), new DeleteMessageBatchResponse(request.entries().stream()
                .map(entry -> new DeleteMessageBatchResultEntry(entry.id())).toList(), List.of()));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityResponse> changeMessageVisibility(
            ChangeMessageVisibilityRequest request) {
        return onQueue(request.queueUrl(), new ChangeMessageVisibilityResponse());
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return onQueue(request.queueUrl(), new ChangeMessageVisibilityBatchResponse(request.entries().stream()
                .map(entry -> new ChangeMessageVisibilityBatchResultEntry(entry.id())).toList(), List.of()));
    }

    @Override
    public CompletableFuture<PurgeQueueResponse> purgeQueue(PurgeQueueRequest request) {
        return onQueue(request.queueUrl(), new PurgeQueueResponse());
    }

    @Override
    public CompletableFuture<ListDeadLetterSourceQueuesResponse> listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest request) {
        return onQueue(request.queueUrl(), new ListDeadLetterSourceQueuesResponse(List.of(), null));
    }

    @Override
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request) {
        return CompletableFuture.completedFuture(new StartMessageMoveTaskResponse("task-1"));
    }

    @Override
    public CompletableFuture<ListMessageMoveTasksResponse> listMessageMoveTasks(ListMessageMoveTasksRequest request) {
        return CompletableFuture.completedFuture(new ListMessageMoveTasksResponse(List.of()));
    }

    @Override
    public CompletableFuture<CancelMessageMoveTaskResponse> cancelMessageMoveTask(CancelMessageMoveTaskRequest request) {
        return CompletableFuture.completedFuture(new CancelMessageMoveTaskResponse(0L));
    }
}
