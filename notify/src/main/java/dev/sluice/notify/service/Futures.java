package dev.sluice.notify.service;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Small helpers for future-returning actions. */
final class Futures {
    private Futures() {
    }

    /** Runs the supplier; an exception it throws (a validation failure) becomes a failed future. */
    static <T> CompletableFuture<T> of(Supplier<CompletableFuture<T>> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A failure in one line: an SQS / SNS error's code and message, else the exception's type and message. */
    static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof dev.sluice.clientsdk.SqsException sqs) {
            return sqs.error().code() + ": " + sqs.getMessage();
        }
        if (cause instanceof dev.sluice.clientsdk.SnsException sns) {
            return sns.error().code() + ": " + sns.getMessage();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /**
     * The failure to log with its stack trace, or null for an expected one (an SQS / SNS error such as a leader
     * change or a missing queue), whose one-line {@link #describe} says all there is.
     */
    static Throwable unexpected(Throwable failure) {
        Throwable cause = unwrap(failure);
        return cause instanceof dev.sluice.clientsdk.SqsException || cause instanceof dev.sluice.clientsdk.SnsException
                ? null : cause;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static CompletableFuture<Void> all(List<CompletableFuture<Void>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    }
}
