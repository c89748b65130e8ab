package dev.sluice.broker.service;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Where queues live: the seam between the queue engine's cross-group work (transfers, remote
 * dead-letter queues, move tasks across groups) and placement. Thread-safe, never blocks.
 */
public interface QueueGroups {

    /**
     * The data group holding {@code queueName}; completes exceptionally with
     * {@code SqsError.QUEUE_DOES_NOT_EXIST} when there is no such queue.
     */
    CompletableFuture<Integer> groupOf(String queueName);

    /** How many data groups there are (indexes 0 until this). */
    int groupCount();

    /** Whether a failure of {@link #groupOf} means there is no such queue (rather than placement not answering). */
    static boolean isNoSuchQueue(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof SqsException missing && missing.error() == SqsError.QUEUE_DOES_NOT_EXIST;
    }
}
