package dev.sluice.clientsdk;

import java.util.Objects;

/**
 * The typed failure of an SQS action: an entry of {@link SqsError} and a message for the caller.
 *
 * <p>A {@link QueueClient} completes its future exceptionally with this exception for every
 * expected failure (no such queue, bad receipt handle, invalid attribute, ...). Any other
 * exception is an unexpected failure and reaches the caller as {@link SqsError#INTERNAL_ERROR}.
 * No stack trace is captured: these are business outcomes, not bugs.
 */
public final class SqsException extends RuntimeException {

    private final SqsError error;

    public SqsException(SqsError error, String message) {
        super(message == null ? Objects.requireNonNull(error, "error").defaultMessage() : message, null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    public SqsException(SqsError error) {
        this(error, null);
    }

    public SqsError error() {
        return error;
    }
}
