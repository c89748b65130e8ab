package dev.sluice.broker.service;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a queue action where the queue's placement says, and again when a group refused it with
 * {@link SqsError#QUEUE_MOVED}: the queue's layout changed under this node's cached placement (a migration fenced its
 * old group, a FIFO partition count changed). The cached placement is dropped and read again; a changed placement is
 * tried at once, an unchanged one (the change is still under way, e.g. a closed queue whose move is not finished)
 * after a backoff of {@value #FIRST_BACKOFF_MILLIS} ms doubling to {@value #MAX_BACKOFF_MILLIS} ms, so a long poll
 * never spins. After {@value #GIVE_UP_MILLIS} ms the answer is RequestThrottled, which the AWS SDKs retry: QueueMoved
 * itself never leaves the node. A group that answers QueueDoesNotExist makes the placement be read again too, and the
 * action runs again where it now points if that changed (a migration deleted the drained queue a stale placement
 * named). A cancel of the returned future reaches the attempt under way (a long poll whose
 * client went away). Thread-safe, never blocks.
 */
final class StalePlacementRetry {
    static final long FIRST_BACKOFF_MILLIS = 25;
    static final long MAX_BACKOFF_MILLIS = 500;
    static final long GIVE_UP_MILLIS = 10_000;

    private final Function<String, CompletableFuture<Placement>> placementOf;
    private final Consumer<String> forget;
    private final ScheduledExecutorService timers;

    StalePlacementRetry(Function<String, CompletableFuture<Placement>> placementOf, Consumer<String> forget,
            ScheduledExecutorService timers) {
        this.placementOf = placementOf;
        this.forget = forget;
        this.timers = timers;
    }

    <T> CompletableFuture<T> run(String name, Function<Placement, CompletableFuture<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<T>> current = new AtomicReference<>();
        result.whenComplete((ignored, failure) -> {
            CompletableFuture<T> running = current.get();
            if (result.isCancelled() && running != null) {
                running.cancel(false);
            }
        });
        new Attempts<>(name, action, result, current, WaitClock.millis() + GIVE_UP_MILLIS).next(FIRST_BACKOFF_MILLIS);
        return result;
    }

    /** Whether a failure is a group's refusal of a route by a stale placement. */
    static boolean isMoved(Throwable failure) {
        return unwrap(failure) instanceof SqsException sqs && sqs.error() == SqsError.QUEUE_MOVED;
    }

    static boolean isMissing(Throwable failure) {
        return unwrap(failure) instanceof SqsException sqs && sqs.error() == SqsError.QUEUE_DOES_NOT_EXIST;
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private final class Attempts<T> {
        private final String name;
        private final Function<Placement, CompletableFuture<T>> action;
        private final CompletableFuture<T> result;
        private final AtomicReference<CompletableFuture<T>> current;
        private final long deadlineMillis;

        Attempts(String name, Function<Placement, CompletableFuture<T>> action, CompletableFuture<T> result,
                AtomicReference<CompletableFuture<T>> current, long deadlineMillis) {
            this.name = name;
            this.action = action;
            this.result = result;
            this.current = current;
            this.deadlineMillis = deadlineMillis;
        }

        void next(long backoffMillis) {
            placementOf.apply(name).whenComplete((placed, error) -> {
                if (error != null) {
                    result.completeExceptionally(unwrap(error));
                } else if (!result.isDone()) {
                    attempt(placed, backoffMillis);
                }
            });
        }

        private void attempt(Placement placed, long backoffMillis) {
            CompletableFuture<T> started;
            try {
                started = action.apply(placed);
            } catch (RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            }
            current.set(started);
            if (result.isCancelled()) {
                started.cancel(false);
            }
            started.whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else if (isMissing(failure)) {
                    forget.accept(name);
                    placementOf.apply(name).whenComplete((fresh, error) -> afterMissing(placed, fresh, error, failure, backoffMillis));
                } else if (!isMoved(failure)) {
                    result.completeExceptionally(unwrap(failure));
                } else {
                    forget.accept(name);
                    placementOf.apply(name).whenComplete((fresh, error) -> afterMoved(placed, fresh, error, backoffMillis));
                }
            });
        }

        /**
         * A group without the queue: a migration deleted the drained queue a stale placement still names. Tried again
         * only where the placement now names another group; an unchanged placement means the queue really is missing.
         */
        private void afterMissing(Placement tried, Placement fresh, Throwable error, Throwable missing, long backoffMillis) {
            if (error == null && !fresh.equals(tried) && WaitClock.millis() <= deadlineMillis) {
                attempt(fresh, backoffMillis);
            } else {
                result.completeExceptionally(unwrap(missing));
            }
        }

        private void afterMoved(Placement tried, Placement fresh, Throwable error, long backoffMillis) {
            if (error != null) {
                result.completeExceptionally(unwrap(error));
                return;
            }
            boolean changed = !fresh.equals(tried);
            long wait = changed ? 0 : backoffMillis;
            if (WaitClock.millis() + wait > deadlineMillis) {
                result.completeExceptionally(SqsError.REQUEST_THROTTLED.exception(
                        "The queue is being moved between the cluster's data groups; retry."));
                return;
            }
            if (changed) {
                attempt(fresh, backoffMillis);
                return;
            }
            try {
                timers.schedule(() -> {
                    forget.accept(name);
                    next(Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS));
                }, wait, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                result.completeExceptionally(SqsError.SERVICE_UNAVAILABLE.exception("The node is shutting down; retry."));
            }
        }
    }
}
