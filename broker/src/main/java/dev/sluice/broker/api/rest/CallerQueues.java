package dev.sluice.broker.api.rest;

import dev.sluice.broker.core.PeekedMessage;
import dev.sluice.clientsdk.QueueClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The queues as the caller of one REST request reaches them: a name under {@code /v1/queues/{name}} is a queue of the
 * caller's account (an operator's: the default account's), and every action goes through the same access check as
 * the SQS API ({@code AccountQueueClient}), so a denial is AccessDenied (403) and another account's queue is not
 * found (404). Thread-safe.
 */
public interface CallerQueues {

    /** The request's caller's view of the queues: its account's, every action checked with the request's context. */
    QueueClient client(RestRequest request);

    /**
     * Up to {@code count} of the oldest messages of the caller's account's queue {@code name}, read without receiving
     * them: the name is checked as GetQueueUrl checks it, the read as a receive ({@code sqs:ReceiveMessage}).
     */
    CompletableFuture<List<PeekedMessage>> peek(RestRequest request, String name, int count);

    /** The SQS URL of the caller's account's queue {@code name}. */
    String urlOf(RestRequest request, String name);

    /** The ARN of the caller's account's queue {@code name}. */
    String arnOf(RestRequest request, String name);

    /** The engine's key of the queue at {@code queueUrl} (placement, stats and peeks name queues by it). */
    String keyOf(String queueUrl);
}
