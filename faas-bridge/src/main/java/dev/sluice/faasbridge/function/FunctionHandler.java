package dev.sluice.faasbridge.function;

/**
 * An in-process function, found through {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.sluice.faasbridge.function.FunctionHandler} and create a function with
 * {@code "Handler": "<name()>"}.
 *
 * <p>Called on the bridge's handler threads, possibly concurrently (one call per batch in flight), so an
 * implementation must be thread-safe. Throwing fails the whole batch (Lambda's unhandled error);
 * returning null or a response without failures succeeds for every record; with
 * {@code ReportBatchItemFailures} on the mapping, the returned {@code batchItemFailures} follow Lambda's
 * rules. A call running past the function's timeout fails the batch; its thread is interrupted.
 *
 * <p>A handler subscribed to an SNS topic ({@code lambda} subscription) gets {@link #handleSnsEvent} with
 * one notification per call; returning succeeds, throwing fails the attempt (it is retried, then goes
 * to the subscription's dead-letter queue).
 */
public interface FunctionHandler {

    /** The name functions refer to in {@code Handler}. */
    String name();

    SqsBatchResponse handleRequest(SqsEvent event) throws Exception;

    /** Handles one SNS notification; by default refuses, so a handler written for SQS fails clearly. */
    default void handleSnsEvent(SnsEvent event) throws Exception {
        throw new UnsupportedOperationException("FunctionHandler " + name() + " does not handle SNS events: "
                + "implement handleSnsEvent to subscribe it to a topic");
    }
}
