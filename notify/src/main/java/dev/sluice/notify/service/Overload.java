package dev.sluice.notify.service;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.raftstore.client.StoreBusyException;
import dev.sluice.raftstore.client.StoreUnavailableException;
import java.util.concurrent.TimeoutException;

/**
 * Recognises the failures that say "not now" rather than "never": a request refused because a Raft group's proposal
 * queue was full (a catalog write's {@link StoreBusyException}, a queue write's RequestThrottled or QueueMoved through
 * the QueueClient), or one whose group could not confirm it in time (no leader, no majority: {@link
 * StoreUnavailableException}, a timeout, a queue write's ServiceUnavailable). The edges answer them as throttling or
 * ServiceUnavailable, which clients retry, never as an internal error.
 */
public final class Overload {
    private Overload() {
    }

    public static boolean isThrottled(Throwable cause) {
        return cause instanceof StoreBusyException
                || cause instanceof SqsException sqs && sqs.error().answered() == SqsError.REQUEST_THROTTLED;
    }

    public static boolean isUnavailable(Throwable cause) {
        return cause instanceof StoreUnavailableException || cause instanceof TimeoutException
                || cause instanceof SqsException sqs && sqs.error() == SqsError.SERVICE_UNAVAILABLE;
    }
}
