package dev.sluice.notify.service;

import dev.sluice.clientsdk.model.InvocationBill;
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

    /**
     * @param failure null when the function succeeded, else why it did not (for logs)
     * @param bill when the function succeeded and the queue engine bills its invocation in the log: the function's
     *     owner and the invocation's duration, which the delete of the notification's copy carries (billed in its apply
     *     if it removes the copy, so once); null when the invocation was counted elsewhere (at the edge) or not at all
     */
    record Result(String failure, InvocationBill bill) {
        public static final Result SUCCEEDED = new Result(null, null);

        public Result {
            if (failure != null && bill != null) {
                throw new IllegalArgumentException("only a succeeded invocation is billed by its delete");
            }
        }

        public static Result failed(String why) {
            return new Result(why == null ? "failed" : why, null);
        }

        /** Succeeded; {@code bill} (may be null) goes with the delete of the copy. */
        public static Result succeeded(InvocationBill bill) {
            return new Result(null, bill);
        }

        public boolean succeeded() {
            return failure == null;
        }
    }
}
