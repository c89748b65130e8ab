package dev.sluice.clientsdk;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * Options of a {@link QueueConsumer}; the client, the queue URL and one handler are required, every
 * other option has a default. Not thread-safe; build once.
 *
 * <pre>{@code
 * QueueConsumer consumer = new QueueConsumerBuilder(client, queueUrl)
 *         .loops(4)
 *         .handler(message -> page(message.body()))      // throw to leave the message for a retry
 *         .build().start();
 * ...
 * consumer.close();                                      // finishes in-flight messages
 * }</pre>
 */
public final class QueueConsumerBuilder {

    private final QueueClient client;
    private final String queueUrl;
    private MessageHandler handler;
    private MessageHandler.Batch batchHandler;
    private int loops = 1;
    private int maxMessagesPerReceive = 10;
    private int waitTimeSeconds = 20;
    private Duration visibilityTimeout = Duration.ofSeconds(30);
    private Duration failureBackoff;
    private Integer maxInFlight;
    private ExecutorService executor;
    private ConsumerListener listener = new ConsumerListener() { };
    private Duration receiveErrorBackoff = Duration.ofSeconds(1);
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    public QueueConsumerBuilder(QueueClient client, String queueUrl) {
        this.client = Objects.requireNonNull(client, "client");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    /** Handles one message at a time, each on its own handler thread. Exclusive with {@link #batchHandler}. */
    public QueueConsumerBuilder handler(MessageHandler handler) {
        this.handler = handler;
        return this;
    }

    /** Handles each received batch at once, reporting failed message ids. Exclusive with {@link #handler}. */
    public QueueConsumerBuilder batchHandler(MessageHandler.Batch batchHandler) {
        this.batchHandler = batchHandler;
        return this;
    }

    /** Concurrent long-poll loops, 1..100. Default 1. */
    public QueueConsumerBuilder loops(int loops) {
        this.loops = range(loops, 1, 100, "loops");
        return this;
    }

    /** MaxNumberOfMessages of each receive, 1..10. Default 10. */
    public QueueConsumerBuilder maxMessagesPerReceive(int count) {
        this.maxMessagesPerReceive = range(count, 1, 10, "maxMessagesPerReceive");
        return this;
    }

    /** WaitTimeSeconds of each receive (long poll), 0..20. Default 20. */
    public QueueConsumerBuilder waitTimeSeconds(int seconds) {
        this.waitTimeSeconds = range(seconds, 0, 20, "waitTimeSeconds");
        return this;
    }

    /**
     * The visibility timeout asked for at receive, whole seconds, 1 s..12 h; extended by the same
     * amount every half of it while a handler runs. Default 30 s.
     */
    public QueueConsumerBuilder visibilityTimeout(Duration timeout) {
        range(timeout.toSeconds(), 1, 43_200, "visibilityTimeout seconds");
        this.visibilityTimeout = timeout;
        return this;
    }

    /**
     * After a failure, set the message's visibility timeout to this (0 s: retry at once). Default
     * none: the message comes back when its current visibility timeout ends.
     */
    public QueueConsumerBuilder failureBackoff(Duration backoff) {
        range(backoff.toSeconds(), 0, 43_200, "failureBackoff seconds");
        this.failureBackoff = backoff;
        return this;
    }

    /** Messages received and not finished at once, at least 1. Default {@code loops * maxMessagesPerReceive}. */
    public QueueConsumerBuilder maxInFlight(int maxInFlight) {
        this.maxInFlight = range(maxInFlight, 1, 100_000, "maxInFlight");
        return this;
    }

    /** Where handlers run (not shut down by the consumer). Default a pool of {@code maxInFlight} daemon threads. */
    public QueueConsumerBuilder executor(ExecutorService executor) {
        this.executor = executor;
        return this;
    }

    /** Metrics hooks. Default none. */
    public QueueConsumerBuilder listener(ConsumerListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** How long a loop waits after a failed receive (server down, throttled). Default 1 s. */
    public QueueConsumerBuilder receiveErrorBackoff(Duration backoff) {
        this.receiveErrorBackoff = Objects.requireNonNull(backoff, "backoff");
        return this;
    }

    /** How long {@link QueueConsumer#close()} waits for in-flight work. Default 30 s. */
    public QueueConsumerBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** The consumer, not started yet; throws IllegalStateException unless exactly one handler was given. */
    public QueueConsumer build() {
        if ((handler == null) == (batchHandler == null)) {
            throw new IllegalStateException("give exactly one of handler and batchHandler");
        }
        return new QueueConsumer(this);
    }

    QueueClient client() {
        return client;
    }

    String queueUrl() {
        return queueUrl;
    }

    MessageHandler handler() {
        return handler;
    }

    MessageHandler.Batch batchHandler() {
        return batchHandler;
    }

    int loops() {
        return loops;
    }

    int maxMessagesPerReceive() {
        return maxMessagesPerReceive;
    }

    int waitTimeSeconds() {
        return waitTimeSeconds;
    }

    Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    Duration failureBackoff() {
        return failureBackoff;
    }

    int maxInFlight() {
        return maxInFlight != null ? maxInFlight : loops * maxMessagesPerReceive;
    }

    ExecutorService executor() {
        return executor;
    }

    ConsumerListener listener() {
        return listener;
    }

    Duration receiveErrorBackoff() {
        return receiveErrorBackoff;
    }

    Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    private static int range(long value, long min, long max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
        }
        return (int) value;
    }
}
