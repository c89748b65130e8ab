package dev.sluice.notify.service;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The functions that {@code lambda} / {@code function} subscriptions invoke, by name. notify does not know
 * how functions run: the server's composition root implements this with its function bridge. Called from
 * the delivery workers' threads; implementations must be thread-safe and must not block.
 */
public interface SubscriberFunctions {

    /**
     * Invokes the function once with Lambda's SNS event ({@code {"Records":[...]}}, one record) as JSON.
     * Completes normally, always, within {@link #maxInvocationTime}: with {@link Result#succeeded} when
     * the function returned, else with the reason (an unknown function, an error, a timeout, a throttle).
     */
    CompletableFuture<Result> invoke(String functionName, String eventJson);

    /** The longest an {@link #invoke} may take, so a delivery stays invisible to other workers meanwhile. */
    Duration maxInvocationTime();

    /** @param failure null when the function succeeded, else why it did not (for logs) */
    record Result(String failure) {
        public static final Result SUCCEEDED = new Result(null);

        public static Result failed(String why) {
            return new Result(why == null ? "failed" : why);
        }

        public boolean succeeded() {
            return failure == null;
        }
    }
}
