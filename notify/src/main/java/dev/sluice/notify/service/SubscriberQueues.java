package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.notify.core.TopicAccess;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Whether a topic may deliver to a tenant's queue of another account, by the queue's Policy. The Policy is read
 * through the tenants' view of the queues, to which internal queues do not exist. Thread-safe; never blocks.
 */
final class SubscriberQueues {
    private final QueueClient tenantQueues;
    private final TopicAccess access;

    SubscriberQueues(QueueClient tenantQueues, TopicAccess access) {
        this.tenantQueues = tenantQueues;
        this.access = access;
    }

    /** True when the queue exists and its Policy allows the topic to SendMessage; false for a missing queue too. */
    CompletableFuture<Boolean> allowsTopic(String queueUrl, String queueArn, String queueAccount, String topicArn,
            String topicAccount) {
        return tenantQueues.getQueueAttributes(new GetQueueAttributesRequest(queueUrl, List.of("Policy")))
                .handle((answer, failure) -> {
                    if (failure != null) {
                        if (InternalQueues.isMissingQueue(failure)) {
                            return false;
                        }
                        throw failure instanceof CompletionException completion ? completion
                                : new CompletionException(failure);
                    }
                    return access.topicMaySendTo(topicArn, topicAccount, queueArn, queueAccount,
                            answer.attributes().get("Policy"));
                });
    }
}
