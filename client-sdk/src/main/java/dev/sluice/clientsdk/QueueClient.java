package dev.sluice.clientsdk;

import dev.sluice.clientsdk.model.*;
import java.util.concurrent.CompletableFuture;

/**
 * The SQS queue API as asynchronous calls: one method per action, with the semantics of Amazon SQS
 * (API version 2012-11-05), standard and FIFO queues.
 *
 * <p>Implementations: the queue engine in-process (behind Raft), the HTTP client (remote), and
 * decorators (the broker's validating edge). Callers: the SQS wire edge, notify, faas-bridge.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Threads.</b> Methods may be called from any thread, concurrently, including a Vert.x
 *       event loop: they must not block. Returned futures may complete on any thread; callers
 *       must not assume the calling thread and must not block inside dependent stages.</li>
 *   <li><b>Failures.</b> Expected failures complete the future exceptionally with
 *       {@link SqsException} carrying an {@link SqsError}; methods do not throw. Any other
 *       exception is reported to SQS callers as {@link SqsError#INTERNAL_ERROR}.</li>
 *   <li><b>Every action on a queue</b> may fail with {@link SqsError#QUEUE_DOES_NOT_EXIST} (and
 *       {@link SqsError#INVALID_ADDRESS} for a queue URL the implementation cannot parse, see
 *       {@link QueueUrl}).</li>
 *   <li><b>Validation split.</b> Requests reaching the engine through the broker edge have passed
 *       every check that needs no queue state (names, counts, ranges, characters, batch ids, the
 *       absolute 1 MiB size bound). The engine still checks what needs the queue: size against the
 *       queue's {@code MaximumMessageSize}, FIFO rules (group id required, deduplication id or
 *       content-based deduplication, no per-message DelaySeconds), receipt handles.</li>
 *   <li><b>Batches.</b> Whole-request problems fail the future; per-entry problems go to the
 *       response's {@code failed} list with the error's legacy code. Every entry id appears in
 *       exactly one of {@code successful} and {@code failed}.</li>
 *   <li><b>MD5s.</b> Implementations may leave MD5 fields null; the broker edge fills them in with
 *       {@link MessageMd5} before answering SQS clients. An HTTP client returns what it got.</li>
 * </ul>
 */
public interface QueueClient {

    /**
     * Creates a queue, or returns the URL of an existing one with the same name and attributes.
     * Errors: QUEUE_NAME_EXISTS (same name, other attribute values), QUEUE_DELETED_RECENTLY,
     * INVALID_ATTRIBUTE_NAME, INVALID_ATTRIBUTE_VALUE, INVALID_PARAMETER_VALUE (bad name).
     */
    CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request);

    /** Returns the URL of a queue by name. Errors: QUEUE_DOES_NOT_EXIST. */
    CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request);

    /**
     * Lists queue URLs by name prefix, at most 1,000 (or {@code maxResults}, 1..1000) a page, with a
     * {@code nextToken} only when {@code maxResults} was given and more remain. Approximate.
     */
    CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request);

    /** Deletes a queue and its messages. Errors: QUEUE_DOES_NOT_EXIST. */
    CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request);

    /**
     * Returns the requested attributes ({@code All} for every one); names are already checked by
     * the edge. Errors: QUEUE_DOES_NOT_EXIST, INVALID_ATTRIBUTE_NAME.
     */
    CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request);

    /**
     * Changes queue attributes. Errors: INVALID_ATTRIBUTE_NAME, INVALID_ATTRIBUTE_VALUE (including
     * a change of FifoQueue, or FIFO-only attributes on a standard queue), QUEUE_DOES_NOT_EXIST.
     */
    CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request);

    /** Adds or overwrites tags (at most 50 a queue). Errors: INVALID_PARAMETER_VALUE, QUEUE_DOES_NOT_EXIST. */
    CompletableFuture<TagQueueResponse> tagQueue(TagQueueRequest request);

    /** Removes tags; unknown keys are ignored. */
    CompletableFuture<UntagQueueResponse> untagQueue(UntagQueueRequest request);

    /** Returns all tags of a queue. */
    CompletableFuture<ListQueueTagsResponse> listQueueTags(ListQueueTagsRequest request);

    /**
     * Sends one message. Errors: INVALID_PARAMETER_VALUE (size over the queue's maximum, FIFO
     * rules), MISSING_PARAMETER (FIFO MessageGroupId), INVALID_MESSAGE_CONTENTS, QUEUE_DOES_NOT_EXIST.
     */
    CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request);

    /** Sends up to 10 messages; per-entry failures as in {@link #sendMessage}. */
    CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request);

    /**
     * Receives up to {@code maxNumberOfMessages} (default 1) messages, waiting up to
     * {@code waitTimeSeconds} (default: the queue's ReceiveMessageWaitTimeSeconds) without blocking a
     * thread. Returns only the requested system attributes and message attributes (names, {@code All}
     * or {@code .*} prefixes). Errors: OVER_LIMIT (120,000 in flight on a standard queue), QUEUE_DOES_NOT_EXIST.
     */
    CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request);

    /**
     * Deletes a message by receipt handle; deleting an already deleted message succeeds.
     * Errors: RECEIPT_HANDLE_IS_INVALID (malformed or not of this queue), INVALID_ID_FORMAT.
     */
    CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request);

    /** Deletes up to 10 messages; per-entry failures as in {@link #deleteMessage}. */
    CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request);

    /**
     * Changes the visibility timeout of an in-flight message, counted from now (total at most 12 h
     * from first receipt). Errors: MESSAGE_NOT_INFLIGHT, RECEIPT_HANDLE_IS_INVALID, INVALID_PARAMETER_VALUE.
     */
    CompletableFuture<ChangeMessageVisibilityResponse> changeMessageVisibility(ChangeMessageVisibilityRequest request);

    /** Changes up to 10 visibility timeouts; per-entry failures as in {@link #changeMessageVisibility}. */
    CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request);

    /** Deletes every message of a queue. Errors: PURGE_QUEUE_IN_PROGRESS (within 60 s of the last purge). */
    CompletableFuture<PurgeQueueResponse> purgeQueue(PurgeQueueRequest request);

    /** Lists queues whose RedrivePolicy targets this queue, paged as {@link #listQueues}. */
    CompletableFuture<ListDeadLetterSourceQueuesResponse> listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest request);

    /**
     * Starts moving messages out of a dead-letter queue. Errors: RESOURCE_NOT_FOUND (unknown source
     * or destination ARN), INVALID_PARAMETER_VALUE (source is not a dead-letter queue, or a task is
     * already running on it: the codes Amazon SQS answers with).
     */
    CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request);

    /** Lists the most recent (up to 10) move tasks of a source queue. Errors: RESOURCE_NOT_FOUND. */
    CompletableFuture<ListMessageMoveTasksResponse> listMessageMoveTasks(ListMessageMoveTasksRequest request);

    /** Cancels a running move task. Errors: RESOURCE_NOT_FOUND (unknown handle), INVALID_PARAMETER_VALUE (task not running). */
    CompletableFuture<CancelMessageMoveTaskResponse> cancelMessageMoveTask(CancelMessageMoveTaskRequest request);
}
