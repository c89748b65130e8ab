package dev.sluice.clientsdk;

import dev.sluice.clientsdk.model.*;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking calls over a {@link QueueClient}: each method waits for the asynchronous call and returns
 * its answer. An SQS error is thrown as the {@link SqsException} itself (not wrapped); an I/O failure
 * as {@link UncheckedIOException}; a call that takes longer than {@code maxWait} is cancelled and
 * throws {@link SqsException} with {@link SqsError#SERVICE_UNAVAILABLE}. Never call it on a Vert.x
 * event loop. Thread-safe if the client is.
 */
public final class SyncQueueClient {

    private final QueueClient client;
    private final Duration maxWait;

    /**
     * @param maxWait the longest a call may take; keep it above the longest long poll (20 s) plus
     *     the client's request timeout and retries
     */
    public SyncQueueClient(QueueClient client, Duration maxWait) {
        this.client = Objects.requireNonNull(client, "client");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /** Waits up to 2 minutes per call. */
    public SyncQueueClient(QueueClient client) {
        this(client, Duration.ofMinutes(2));
    }

    /** The asynchronous client underneath. */
    public QueueClient async() {
        return client;
    }

    public CreateQueueResponse createQueue(CreateQueueRequest request) {
        return await(client.createQueue(request));
    }

    public GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest request) {
        return await(client.getQueueUrl(request));
    }

    public ListQueuesResponse listQueues(ListQueuesRequest request) {
        return await(client.listQueues(request));
    }

    public DeleteQueueResponse deleteQueue(DeleteQueueRequest request) {
        return await(client.deleteQueue(request));
    }

    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        return await(client.getQueueAttributes(request));
    }

    public SetQueueAttributesResponse setQueueAttributes(SetQueueAttributesRequest request) {
        return await(client.setQueueAttributes(request));
    }

    public TagQueueResponse tagQueue(TagQueueRequest request) {
        return await(client.tagQueue(request));
    }

    public UntagQueueResponse untagQueue(UntagQueueRequest request) {
        return await(client.untagQueue(request));
    }

    public ListQueueTagsResponse listQueueTags(ListQueueTagsRequest request) {
        return await(client.listQueueTags(request));
    }

    public SendMessageResponse sendMessage(SendMessageRequest request) {
        return await(client.sendMessage(request));
    }

    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        return await(client.sendMessageBatch(request));
    }

    public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
        return await(client.receiveMessage(request));
    }

    public DeleteMessageResponse deleteMessage(DeleteMessageRequest request) {
        return await(client.deleteMessage(request));
    }

    public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
        return await(client.deleteMessageBatch(request));
    }

    public ChangeMessageVisibilityResponse changeMessageVisibility(ChangeMessageVisibilityRequest request) {
        return await(client.changeMessageVisibility(request));
    }

    public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request) {
        return await(client.changeMessageVisibilityBatch(request));
    }

    public PurgeQueueResponse purgeQueue(PurgeQueueRequest request) {
        return await(client.purgeQueue(request));
    }

    public ListDeadLetterSourceQueuesResponse listDeadLetterSourceQueues(ListDeadLetterSourceQueuesRequest request) {
        return await(client.listDeadLetterSourceQueues(request));
    }

    public StartMessageMoveTaskResponse startMessageMoveTask(StartMessageMoveTaskRequest request) {
        return await(client.startMessageMoveTask(request));
    }

    public ListMessageMoveTasksResponse listMessageMoveTasks(ListMessageMoveTasksRequest request) {
        return await(client.listMessageMoveTasks(request));
    }

    public CancelMessageMoveTaskResponse cancelMessageMoveTask(CancelMessageMoveTaskRequest request) {
        return await(client.cancelMessageMoveTask(request));
    }

    /** The value of {@code call}, waiting at most {@code maxWait}; failures unwrapped as the class says. */
    public <T> T await(CompletableFuture<T> call) {
        try {
            return call.get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new CompletionException(cause);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw SqsError.SERVICE_UNAVAILABLE.exception("No answer within " + maxWait + ".");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for the queue service");
        }
    }
}
