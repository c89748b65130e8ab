package dev.sluice.broker.api.sqs;

import dev.sluice.clientsdk.query.QueryParameters;
import dev.sluice.clientsdk.SqsAction;
import dev.sluice.clientsdk.model.*;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Query protocol parameters to request records, for every {@link SqsAction}. A queue URL named by
 * the request path stands in for a missing {@code QueueUrl} parameter. Stateless.
 */
final class QueryRequestDecoder {

    private QueryRequestDecoder() {
    }

    static Object decode(SqsAction action, QueryParameters in, String pathQueueUrl) {
        String queueUrl = in.string("QueueUrl") != null ? in.string("QueueUrl") : pathQueueUrl;
        return switch (action) {
            case CREATE_QUEUE -> new CreateQueueRequest(in.string("QueueName"),
                    in.map("Attribute", "Name", "Value"), tags(in));
            case GET_QUEUE_URL -> new GetQueueUrlRequest(in.string("QueueName"), in.string("QueueOwnerAWSAccountId"));
            case LIST_QUEUES -> new ListQueuesRequest(in.string("QueueNamePrefix"), in.string("NextToken"),
                    in.integer("MaxResults"));
            case DELETE_QUEUE -> new DeleteQueueRequest(queueUrl);
            case GET_QUEUE_ATTRIBUTES -> new GetQueueAttributesRequest(queueUrl, in.list("AttributeName"));
            case SET_QUEUE_ATTRIBUTES -> new SetQueueAttributesRequest(queueUrl, in.map("Attribute", "Name", "Value"));
            case TAG_QUEUE -> new TagQueueRequest(queueUrl, tags(in));
            case UNTAG_QUEUE -> new UntagQueueRequest(queueUrl, in.list("TagKey"));
            case LIST_QUEUE_TAGS -> new ListQueueTagsRequest(queueUrl);
            case SEND_MESSAGE -> new SendMessageRequest(queueUrl, in.string("MessageBody"), in.integer("DelaySeconds"),
                    in.messageAttributes("MessageAttribute"), in.messageAttributes("MessageSystemAttribute"),
                    in.string("MessageDeduplicationId"), in.string("MessageGroupId"));
            case SEND_MESSAGE_BATCH -> new SendMessageBatchRequest(queueUrl,
                    in.entries("SendMessageBatchRequestEntry", QueryRequestDecoder::sendEntry));
            case RECEIVE_MESSAGE -> new ReceiveMessageRequest(queueUrl, in.list("AttributeName"),
                    in.list("MessageSystemAttributeName"), in.list("MessageAttributeName"),
                    in.integer("MaxNumberOfMessages"), in.integer("VisibilityTimeout"), in.integer("WaitTimeSeconds"),
                    in.string("ReceiveRequestAttemptId"));
            case DELETE_MESSAGE -> new DeleteMessageRequest(queueUrl, in.string("ReceiptHandle"));
            case DELETE_MESSAGE_BATCH -> new DeleteMessageBatchRequest(queueUrl,
                    in.entries("DeleteMessageBatchRequestEntry",
                            entry -> new DeleteMessageBatchRequestEntry(entry.string("Id"), entry.string("ReceiptHandle"))));
            case CHANGE_MESSAGE_VISIBILITY -> new ChangeMessageVisibilityRequest(queueUrl, in.string("ReceiptHandle"),
                    in.integer("VisibilityTimeout"));
            case CHANGE_MESSAGE_VISIBILITY_BATCH -> new ChangeMessageVisibilityBatchRequest(queueUrl,
                    in.entries("ChangeMessageVisibilityBatchRequestEntry",
                            entry -> new ChangeMessageVisibilityBatchRequestEntry(entry.string("Id"),
                                    entry.string("ReceiptHandle"), entry.integer("VisibilityTimeout"))));
            case PURGE_QUEUE -> new PurgeQueueRequest(queueUrl);
            case LIST_DEAD_LETTER_SOURCE_QUEUES -> new ListDeadLetterSourceQueuesRequest(queueUrl,
                    in.string("NextToken"), in.integer("MaxResults"));
            case START_MESSAGE_MOVE_TASK -> new StartMessageMoveTaskRequest(in.string("SourceArn"),
                    in.string("DestinationArn"), in.integer("MaxNumberOfMessagesPerSecond"));
            case LIST_MESSAGE_MOVE_TASKS -> new ListMessageMoveTasksRequest(in.string("SourceArn"),
                    in.integer("MaxResults"));
            case CANCEL_MESSAGE_MOVE_TASK -> new CancelMessageMoveTaskRequest(in.string("TaskHandle"));
        };
    }

    /**
     * Tags of CreateQueue and TagQueue. The AWS SDKs disagree on the prefix: SDK v1 sends
     * {@code Tag.N.Key} for CreateQueue but {@code Tags.N.Key} for TagQueue, and the API reference's
     * TagQueue example uses {@code Tag.Key}. Both prefixes are read, so each of these clients is served.
     */
    private static Map<String, String> tags(QueryParameters in) {
        Map<String, String> tags = new LinkedHashMap<>(in.map("Tag", "Key", "Value"));
        tags.putAll(in.map("Tags", "Key", "Value"));
        return tags;
    }

    private static SendMessageBatchRequestEntry sendEntry(QueryParameters entry) {
        return new SendMessageBatchRequestEntry(entry.string("Id"), entry.string("MessageBody"),
                entry.integer("DelaySeconds"), entry.messageAttributes("MessageAttribute"),
                entry.messageAttributes("MessageSystemAttribute"), entry.string("MessageDeduplicationId"),
                entry.string("MessageGroupId"));
    }
}
