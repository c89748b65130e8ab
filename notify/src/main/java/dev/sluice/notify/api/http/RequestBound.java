package dev.sluice.notify.api.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The bound on one API request as a whole. Inside, a request may wait on several Raft groups in turn (a catalog read,
 * a placement read, a queue write), each up to its own Raft timeout and retries: with no majority that added up to
 * minutes without an answer. The SQS, SNS and REST routes answer from {@link #within} instead, which completes the
 * HTTP exchange at the bound with the protocol's retryable unavailability error (ServiceUnavailable, 503) and lets the
 * work finish in the background: what it had already proposed may still commit (a retried send may then be stored
 * twice, as SQS allows; FIFO deduplication drops the copy), but no success is answered for anything not committed,
 * since the success answer is never written after the error. A long poll's wait is not the cluster's delay, so it is
 * added to the bound (see {@link #within}).
 *
 * <p>The server installs one per request ({@link #install}); routes mounted without it (tests of a route alone) are
 * unbounded. Runs on the event loop; the timer is a Vert.x timer, cancelled when the work ends first.
 */
public final class RequestBound {
    private static final String KEY = "sluice.requestBound";
    private static final RequestBound UNBOUNDED = new RequestBound(null, null);

    private final Vertx vertx;
    private final Duration bound;

    private RequestBound(Vertx vertx, Duration bound) {
        this.vertx = vertx;
        this.bound = bound;
    }

    /** Adds a handler, before the API routes, that bounds every request routed after it by {@code bound}. */
    public static void install(Router router, Vertx vertx, Duration bound) {
        RequestBound requestBound = new RequestBound(vertx, bound);
        router.route().handler(context -> {
            context.put(KEY, requestBound);
            context.next();
        });
    }

    /** The bound of this request, or none when the server installed none. */
    public static RequestBound of(RoutingContext context) {
        RequestBound installed = context.get(KEY);
        return installed == null ? UNBOUNDED : installed;
    }

    /**
     * {@code work}'s answer, or {@code unavailable}'s if {@code work} has not answered within the bound plus
     * {@code wait} (a long poll's WaitTimeSeconds, zero for everything else). Cancelling the answer cancels
     * {@code work} (a client that hung up); the bound expiring does not, so work already proposed runs its course.
     */
    public <T> CompletableFuture<T> within(CompletableFuture<T> work, Duration wait, Supplier<T> unavailable) {
        if (vertx == null) {
            return work;
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        long timer = vertx.setTimer(Math.max(1, bound.plus(wait).toMillis()), fired -> answer.complete(unavailable.get()));
        work.whenComplete((result, failure) -> {
            vertx.cancelTimer(timer);
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(result);
            }
        });
        answer.whenComplete((result, failure) -> {
            if (answer.isCancelled()) {
                work.cancel(false);
            }
        });
        return answer;
    }
}
