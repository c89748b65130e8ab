package dev.sluice.broker.ops;

import dev.sluice.clientsdk.Cancellation;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.model.*;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NumberOfEmptyReceives: ReceiveMessage calls that returned no message, counted by the node that answered the call.
 * Unlike the other per-queue counts these cannot come from the group leader: an empty long poll ends where it waited
 * (on any node's replica), and one call may propose several receives or none. Each call is answered by exactly one
 * node, so the sum over the nodes is exact. {@link #counting} wraps a client at the edge. Thread-safe.
 */
final class EmptyReceives {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Empty receives per queue name so far. */
    Map<String, AtomicLong> counts() {
        return counts;
    }

    void count(String queueUrl) {
        QueueUrl.parse(queueUrl).ifPresent(url -> counts.computeIfAbsent(url.queueName(), name -> new AtomicLong()).incrementAndGet());
    }

    /** {@code client}, counting its empty receives here; every other call passes through unchanged. */
    QueueClient counting(QueueClient client) {
        return counting(client, queueUrl -> { });
    }

    /** As {@link #counting(QueueClient)}, telling {@code alsoTell} each empty receive's queue URL too. */
    QueueClient counting(QueueClient client, java.util.function.Consumer<String> alsoTell) {
        return new Counting(client, this, alsoTell);
    }

    private record Counting(QueueClient engine, EmptyReceives empty, java.util.function.Consumer<String> alsoTell)
            implements QueueClient {
        @Override
        public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
            CompletableFuture<ReceiveMessageResponse> receive = engine.receiveMessage(request);
            // Cancelling the answer (the client hung up) must still end the long poll it waits on.
            return Cancellation.propagate(receive.thenApply(response -> {
                if (response.messages().isEmpty()) {
                    empty.count(request.queueUrl());
                    alsoTell.accept(request.queueUrl());
                }
                return response;
            }), receive);
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
}
