package dev.sluice.notify.service;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.raftstore.client.StoreBusyException;

/**
 * Recognises a request refused because a Raft group's proposal queue was full: a catalog write
 * ({@link StoreBusyException}) or a queue write through the QueueClient (SQS's RequestThrottled). Nothing of it
 * was applied, so the edge answers SNS's Throttled, which clients retry, instead of an internal error.
 */
public final class Overload {
    private Overload() {
    }

    public static boolean isThrottled(Throwable cause) {
        return cause instanceof StoreBusyException
                || cause instanceof SqsException sqs && sqs.error() == SqsError.REQUEST_THROTTLED;
    }
}
