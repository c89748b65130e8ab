package dev.sluice.clientsdk.http;

import java.io.IOException;
import java.util.ArrayDeque;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Sends a request with the JDK HttpClient and tries again, per a {@link RetryPolicy}, when the
 * connection fails (any {@link IOException}: refused, reset, timed out) or the answer is one the
 * caller calls retryable (throttling, 5xx). Each try builds a fresh request (so it is signed anew).
 * The returned future completes with the last answer, retryable or not, or fails with the last
 * connection error; cancelling it cancels the exchange in progress and the remaining tries. At most
 * {@code maxConcurrent} exchanges run at once (HTTP/2 servers cap streams per connection, and each
 * HTTP/1.1 exchange holds a connection); further tries wait in order for a free slot. Never blocks a
 * thread: waits run on a delayed executor. Thread-safe; shared by every call of a client.
 */
public final class RetryingHttpSender {

    private final HttpClient http;
    private final RetryPolicy policy;
    private final Predicate<HttpResponse<byte[]>> retryable;
    private final RandomGenerator random;
    private final int maxConcurrent;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    /**
     * @param retryable which answers to try again (a connection failure always is)
     * @param random the source of jitter
     * @param maxConcurrent exchanges in progress at once, at least 1
     */
    public RetryingHttpSender(HttpClient http, RetryPolicy policy, Predicate<HttpResponse<byte[]>> retryable,
            RandomGenerator random, int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1: " + maxConcurrent);
        }
        this.http = http;
        this.policy = policy;
        this.retryable = retryable;
        this.random = random;
        this.maxConcurrent = maxConcurrent;
    }

    public CompletableFuture<HttpResponse<byte[]>> send(Supplier<HttpRequest> request) {
        CompletableFuture<HttpResponse<byte[]>> result = new CompletableFuture<>();
        whenPermitted(() -> attempt(request, 1, result));
        return result;
    }

    /** Exchanges in progress now (for tests and metrics). */
    public synchronized int running() {
        return running;
    }

    private void whenPermitted(Runnable start) {
        synchronized (this) {
            if (running >= maxConcurrent) {
                waiting.add(start);
                return;
            }
            running++;
        }
        start.run();
    }

    /** Hands the slot of a finished exchange to the next waiting try, or frees it. */
    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    /** Runs holding a slot; gives it back when the exchange ends. */
    private void attempt(Supplier<HttpRequest> request, int attempt, CompletableFuture<HttpResponse<byte[]>> result) {
        if (result.isDone()) {
            release();
            return;
        }
        CompletableFuture<HttpResponse<byte[]>> exchange;
        try {
            exchange = http.sendAsync(request.get(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            release();
            result.completeExceptionally(e);
            return;
        }
        // cancel(true): the JDK HttpClient aborts the exchange (and its connection) only when asked to interrupt.
        result.whenComplete((ignored, failure) -> {
            if (result.isCancelled()) {
                exchange.cancel(true);
            }
        });
        exchange.whenComplete((response, failure) -> {
            release();
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            boolean again;
            try {
                again = cause != null ? cause instanceof IOException : retryable.test(response);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            if (again && attempt < policy.maxAttempts() && !result.isDone()) {
                long waitMillis = policy.delayBefore(attempt, random).toMillis();
                CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS)
                        .execute(() -> whenPermitted(() -> attempt(request, attempt + 1, result)));
            } else if (cause != null) {
                result.completeExceptionally(cause);
            } else {
                result.complete(response);
            }
        });
    }
}
