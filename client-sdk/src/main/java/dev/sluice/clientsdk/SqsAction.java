package dev.sluice.clientsdk;

import dev.sluice.clientsdk.model.*;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The SQS actions Sluice serves: the wire name ({@code Action=} in the Query protocol, the part of
 * {@code X-Amz-Target: AmazonSQS.<name>} after the dot in the JSON protocol), the request and
 * response record types, and the {@link QueueClient} method that serves it.
 *
 * <p>AddPermission and RemovePermission are not served (Sluice has no IAM principals).
 */
public enum SqsAction {
    CREATE_QUEUE("CreateQueue", CreateQueueRequest.class, CreateQueueResponse.class,
            (client, request) -> client.createQueue((CreateQueueRequest) request)),
    GET_QUEUE_URL("GetQueueUrl", GetQueueUrlRequest.class, GetQueueUrlResponse.class,
            (client, request) -> client.getQueueUrl((GetQueueUrlRequest) request)),
    LIST_QUEUES("ListQueues", ListQueuesRequest.class, ListQueuesResponse.class,
            (client, request) -> client.listQueues((ListQueuesRequest) request)),
    DELETE_QUEUE("DeleteQueue", DeleteQueueRequest.class, DeleteQueueResponse.class,
            (client, request) -> client.deleteQueue((DeleteQueueRequest) request)),
    GET_QUEUE_ATTRIBUTES("GetQueueAttributes", GetQueueAttributesRequest.class, GetQueueAttributesResponse.class,
            (client, request) -> client.getQueueAttributes((GetQueueAttributesRequest) request)),
    SET_QUEUE_ATTRIBUTES("SetQueueAttributes", SetQueueAttributesRequest.class, SetQueueAttributesResponse.class,
            (client, request) -> client.setQueueAttributes((SetQueueAttributesRequest) request)),
    TAG_QUEUE("TagQueue", TagQueueRequest.class, TagQueueResponse.class,
            (client, request) -> client.tagQueue((TagQueueRequest) request)),
    UNTAG_QUEUE("UntagQueue", UntagQueueRequest.class, UntagQueueResponse.class,
            (client, request) -> client.untagQueue((UntagQueueRequest) request)),
    LIST_QUEUE_TAGS("ListQueueTags", ListQueueTagsRequest.class, ListQueueTagsResponse.class,
            (client, request) -> client.listQueueTags((ListQueueTagsRequest) request)),
    SEND_MESSAGE("SendMessage", SendMessageRequest.class, SendMessageResponse.class,
            (client, request) -> client.sendMessage((SendMessageRequest) request)),
    SEND_MESSAGE_BATCH("SendMessageBatch", SendMessageBatchRequest.class, SendMessageBatchResponse.class,
            (client, request) -> client.sendMessageBatch((SendMessageBatchRequest) request)),
    RECEIVE_MESSAGE("ReceiveMessage", ReceiveMessageRequest.class, ReceiveMessageResponse.class,
            (client, request) -> client.receiveMessage((ReceiveMessageRequest) request)),
    DELETE_MESSAGE("DeleteMessage", DeleteMessageRequest.class, DeleteMessageResponse.class,
            (client, request) -> client.deleteMessage((DeleteMessageRequest) request)),
    DELETE_MESSAGE_BATCH("DeleteMessageBatch", DeleteMessageBatchRequest.class, DeleteMessageBatchResponse.class,
            (client, request) -> client.deleteMessageBatch((DeleteMessageBatchRequest) request)),
    CHANGE_MESSAGE_VISIBILITY("ChangeMessageVisibility", ChangeMessageVisibilityRequest.class, ChangeMessageVisibilityResponse.class,
            (client, request) -> client.changeMessageVisibility((ChangeMessageVisibilityRequest) request)),
    CHANGE_MESSAGE_VISIBILITY_BATCH("ChangeMessageVisibilityBatch", ChangeMessageVisibilityBatchRequest.class, ChangeMessageVisibilityBatchResponse.class,
            (client, request) -> client.changeMessageVisibilityBatch((ChangeMessageVisibilityBatchRequest) request)),
    PURGE_QUEUE("PurgeQueue", PurgeQueueRequest.class, PurgeQueueResponse.class,
            (client, request) -> client.purgeQueue((PurgeQueueRequest) request)),
    LIST_DEAD_LETTER_SOURCE_QUEUES("ListDeadLetterSourceQueues", ListDeadLetterSourceQueuesRequest.class, ListDeadLetterSourceQueuesResponse.class,
            (client, request) -> client.listDeadLetterSourceQueues((ListDeadLetterSourceQueuesRequest) request)),
    START_MESSAGE_MOVE_TASK("StartMessageMoveTask", StartMessageMoveTaskRequest.class, StartMessageMoveTaskResponse.class,
            (client, request) -> client.startMessageMoveTask((StartMessageMoveTaskRequest) request)),
    LIST_MESSAGE_MOVE_TASKS("ListMessageMoveTasks", ListMessageMoveTasksRequest.class, ListMessageMoveTasksResponse.class,
            (client, request) -> client.listMessageMoveTasks((ListMessageMoveTasksRequest) request)),
    CANCEL_MESSAGE_MOVE_TASK("CancelMessageMoveTask", CancelMessageMoveTaskRequest.class, CancelMessageMoveTaskResponse.class,
            (client, request) -> client.cancelMessageMoveTask((CancelMessageMoveTaskRequest) request));

    private static final Map<String, SqsAction> BY_WIRE_NAME =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(SqsAction::wireName, Function.identity()));

    private final String wireName;
    private final Class<?> requestType;
    private final Class<?> responseType;
    private final BiFunction<QueueClient, Object, CompletableFuture<?>> invoker;

    SqsAction(String wireName, Class<?> requestType, Class<?> responseType,
            BiFunction<QueueClient, Object, CompletableFuture<?>> invoker) {
        this.wireName = wireName;
        this.requestType = requestType;
        this.responseType = responseType;
        this.invoker = invoker;
    }

    /** The action for a wire name (case-sensitive, as in SQS), or null when there is none. */
    public static SqsAction ofWireName(String wireName) {
        return wireName == null ? null : BY_WIRE_NAME.get(wireName);
    }

    public String wireName() {
        return wireName;
    }

    public Class<?> requestType() {
        return requestType;
    }

    public Class<?> responseType() {
        return responseType;
    }

    /**
     * Calls the client method of this action.
     *
     * @throws ClassCastException when {@code request} is not of {@link #requestType()}
     */
    public CompletableFuture<?> invoke(QueueClient client, Object request) {
        return invoker.apply(client, requestType.cast(request));
    }
}
