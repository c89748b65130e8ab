package dev.sluice.broker.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.model.*;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link QueueClient} that passes every call to another one unchanged: the base of decorators that change a few
 * actions (count empty receives, limit a FIFO queue's rate) and must pass every other through. Thread-safe as the
 * client it forwards to.
 */
public abstract class ForwardingQueueClient implements QueueClient {
    protected final QueueClient engine;

    protected ForwardingQueueClient(QueueClient engine) {
        this.engine = engine;
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return engine.receiveMessage(request);
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return engine.createQueue(request);
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        return engine.getQueueUrl(request);
    }

    @Override
    public CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request) {
        return engine.listQueues(request);
    }

    @Override
    public CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request) {
        return engine.deleteQueue(request);
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return engine.getQueueAttributes(request);
    }

    @Override
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request) {
        return engine.setQueueAttributes(request);
    }

    @Override
    public CompletableFuture<TagQueueResponse> tagQueue(TagQueueRequest request) {
        return engine.tagQueue(request);
    }

    @Override
    public CompletableFuture<UntagQueueResponse> untagQueue(UntagQueueRequest request) {
        return engine.untagQueue(request);
    }

    @Override
    public CompletableFuture<ListQueueTagsResponse> listQueueTags(ListQueueTagsRequest request) {
        return engine.listQueueTags(request);
    }

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        return engine.sendMessage(request);
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return engine.sendMessageBatch(request);
    }

    @Override
    public CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request) {
        return engine.deleteMessage(request);
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return engine.deleteMessageBatch(request);
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityResponse> changeMessageVisibility(
            ChangeMessageVisibilityRequest request) {
        return engine.changeMessageVisibility(request);
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return engine.changeMessageVisibilityBatch(request);
    }

    @Override
    public CompletableFuture<PurgeQueueResponse> purgeQueue(PurgeQueueRequest request) {
        return engine.purgeQueue(request);
    }

    @Override
    public CompletableFuture<ListDeadLetterSourceQueuesResponse> listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest request) {
        return engine.listDeadLetterSourceQueues(request);
    }

    @Override
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request) {
        return engine.startMessageMoveTask(request);
    }

    @Override
    public CompletableFuture<ListMessageMoveTasksResponse> listMessageMoveTasks(ListMessageMoveTasksRequest request) {
        return engine.listMessageMoveTasks(request);
    }

    @Override
    public CompletableFuture<CancelMessageMoveTaskResponse> cancelMessageMoveTask(CancelMessageMoveTaskRequest request) {
        return engine.cancelMessageMoveTask(request);
    }
}
