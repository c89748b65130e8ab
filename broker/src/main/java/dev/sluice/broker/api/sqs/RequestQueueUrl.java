package dev.sluice.broker.api.sqs;

import dev.sluice.clientsdk.model.ChangeMessageVisibilityBatchRequest;
import dev.sluice.clientsdk.model.ChangeMessageVisibilityRequest;
import dev.sluice.clientsdk.model.DeleteMessageBatchRequest;
import dev.sluice.clientsdk.model.DeleteMessageRequest;
import dev.sluice.clientsdk.model.DeleteQueueRequest;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.clientsdk.model.ListDeadLetterSourceQueuesRequest;
import dev.sluice.clientsdk.model.ListQueueTagsRequest;
import dev.sluice.clientsdk.model.PurgeQueueRequest;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.clientsdk.model.SetQueueAttributesRequest;
import dev.sluice.clientsdk.model.TagQueueRequest;
import dev.sluice.clientsdk.model.UntagQueueRequest;

/**
 * The queue URL a decoded request acts on, for the actions whose resource is a queue named by URL; null for the
 * others (CreateQueue, GetQueueUrl and ListQueues name no existing queue's URL; the message move tasks name ARNs
 * or task handles).
 */
public final class RequestQueueUrl {

    private RequestQueueUrl() {
    }

    public static String of(Object request) {
        if (request instanceof SendMessageRequest r) {
            return r.queueUrl();
        } else if (request instanceof SendMessageBatchRequest r) {
            return r.queueUrl();
        } else if (request instanceof ReceiveMessageRequest r) {
            return r.queueUrl();
        } else if (request instanceof DeleteMessageRequest r) {
            return r.queueUrl();
        } else if (request instanceof DeleteMessageBatchRequest r) {
            return r.queueUrl();
        } else if (request instanceof ChangeMessageVisibilityRequest r) {
            return r.queueUrl();
        } else if (request instanceof ChangeMessageVisibilityBatchRequest r) {
            return r.queueUrl();
        } else if (request instanceof GetQueueAttributesRequest r) {
            return r.queueUrl();
        } else if (request instanceof SetQueueAttributesRequest r) {
            return r.queueUrl();
        } else if (request instanceof DeleteQueueRequest r) {
            return r.queueUrl();
        } else if (request instanceof PurgeQueueRequest r) {
            return r.queueUrl();
        } else if (request instanceof TagQueueRequest r) {
            return r.queueUrl();
        } else if (request instanceof UntagQueueRequest r) {
            return r.queueUrl();
        } else if (request instanceof ListQueueTagsRequest r) {
            return r.queueUrl();
        } else if (request instanceof ListDeadLetterSourceQueuesRequest r) {
            return r.queueUrl();
        }
        return null;
    }
}
