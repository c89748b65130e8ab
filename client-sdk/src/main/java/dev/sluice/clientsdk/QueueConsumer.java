package dev.sluice.clientsdk;

import dev.sluice.clientsdk.model.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumes a queue: {@code loops} concurrent long-poll loops receive messages, a handler (per message
 * or per batch) processes them on the handler executor, successes are deleted in one
 * DeleteMessageBatch per received batch, failures are left in the queue (optionally with their
 * visibility set to a backoff). While a handler runs, its message's visibility timeout is extended
 * every half timeout, so a slow handler does not see its message delivered to another loop; SQS
 * ends extensions 12 hours after the first receipt. At most {@code maxInFlight} messages are
 * received and not yet finished at once (a loop asks only for free slots). {@link #close} stops
 * receiving, finishes in-flight work and deletes its successes, within a timeout.
 *
 * <p>Build with {@link QueueConsumerBuilder}; start with {@link #start()}. Thread-safe.
 */
public final class QueueConsumer implements AutoCloseable {

    private final QueueClient client;
    private final String queueUrl;
    private final QueueConsumerBuilder options;
    private final Semaphore slots;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timers;
    private final AtomicInteger runningLoops = new AtomicInteger();
    private final Set<CompletableFuture<?>> polls = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    QueueConsumer(QueueConsumerBuilder options) {
        this.client = options.client();
        this.queueUrl = options.queueUrl();
        this.options = options;
        this.slots = new Semaphore(options.maxInFlight());
        this.handlers = options.executor() != null ? options.executor()
                : Executors.newFixedThreadPool(options.maxInFlight(), daemon("sluice-consumer-handler"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("sluice-consumer-timer"));
    }

    /** Starts the loops; call once. */
    public QueueConsumer start() {
        for (int i = 0; i < options.loops(); i++) {
            runningLoops.incrementAndGet();
            timers.execute(this::poll);
        }
        return this;
    }

    /** Messages received and not yet finished. */
    public int inFlight() {
        return options.maxInFlight() - slots.availablePermits();
    }

    private void poll() {
        if (stopping) {
            runningLoops.decrementAndGet();
            return;
        }
        int wanted = 0;
        while (wanted < options.maxMessagesPerReceive() && slots.tryAcquire()) {
            wanted++;
        }
        if (wanted == 0) {
            timers.schedule(this::poll, 10, TimeUnit.MILLISECONDS);
            return;
        }
        int asked = wanted;
        CompletableFuture<ReceiveMessageResponse> received;
        try {
            received = client.receiveMessage(new ReceiveMessageRequest(queueUrl, List.of("All"), null, List.of("All"),
                    asked, (int) options.visibilityTimeout().toSeconds(), options.waitTimeSeconds(), null));
        } catch (RuntimeException e) {
            received = CompletableFuture.failedFuture(e);
        }
        polls.add(received);
        CompletableFuture<ReceiveMessageResponse> call = received;
        received.whenComplete((response, failure) -> {
            polls.remove(call);
            int count = failure == null ? response.messages().size() : 0;
            slots.release(asked - count);
            if (failure != null) {
                if (stopping) {
                    poll();
                    return;
                }
                options.listener().receiveFailed(failure);
                timers.schedule(this::poll, options.receiveErrorBackoff().toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            options.listener().received(count);
            if (count > 0) {
                process(response.messages());
            }
            timers.execute(this::poll);
        });
    }

    /** Runs the handler(s) of one received batch, extending visibility meanwhile; then deletes or backs off. */
    private void process(List<Message> messages) {
        List<ScheduledFuture<?>> extensions = new ArrayList<>(messages.size());
        long extendEveryMillis = Math.max(500, options.visibilityTimeout().toMillis() / 2);
        for (Message message : messages) {
            extensions.add(timers.scheduleAtFixedRate(() -> extend(message), extendEveryMillis, extendEveryMillis,
                    TimeUnit.MILLISECONDS));
        }
        CompletableFuture<Set<String>> failedIds;
        if (options.batchHandler() != null) {
            failedIds = CompletableFuture.supplyAsync(() -> handleBatch(messages), handlers);
        } else {
            // One task per message, so a slow message does not hold up the others of its batch.
            Set<String> failed = ConcurrentHashMap.newKeySet();
            failedIds = CompletableFuture.allOf(messages.stream()
                    .map(message -> CompletableFuture.runAsync(() -> {
                        if (!handleOne(message)) {
                            failed.add(message.messageId());
                        }
                    }, handlers)).toArray(CompletableFuture[]::new)).thenApply(ignored -> failed);
        }
        failedIds.whenComplete((failed, unexpected) -> {
            extensions.forEach(extension -> extension.cancel(false));
            finish(messages, failed == null ? Set.of() : failed);
        });
    }

    /** True when the handler succeeded. */
    private boolean handleOne(Message message) {
        long started = System.nanoTime();
        try {
            options.handler().handle(message);
            options.listener().succeeded(message, Duration.ofNanos(System.nanoTime() - started));
            return true;
        } catch (Exception | Error e) {
            options.listener().failed(message, e);
            return false;
        }
    }

    /** The ids of the messages that failed; listener calls per message. */
    private Set<String> handleBatch(List<Message> messages) {
        long started = System.nanoTime();
        Set<String> failed;
        Throwable error = null;
        try {
            failed = Set.copyOf(options.batchHandler().handle(messages));
        } catch (Exception | Error e) {
            error = e;
            failed = Set.copyOf(messages.stream().map(Message::messageId).toList());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        for (Message message : messages) {
            if (failed.contains(message.messageId())) {
                options.listener().failed(message, error != null ? error
                        : new IllegalStateException("reported failed by the batch handler"));
            } else {
                options.listener().succeeded(message, took);
            }
        }
        return failed;
    }

    private void extend(Message message) {
        client.changeMessageVisibility(new ChangeMessageVisibilityRequest(queueUrl, message.receiptHandle(),
                (int) options.visibilityTimeout().toSeconds())).thenRun(() -> options.listener().visibilityExtended(message));
    }

    private void finish(List<Message> messages, Set<String> failedIds) {
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        List<ChangeMessageVisibilityBatchRequestEntry> backoffs = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (failedIds.contains(message.messageId())) {
                if (options.failureBackoff() != null) {
                    backoffs.add(new ChangeMessageVisibilityBatchRequestEntry(Integer.toString(i),
                            message.receiptHandle(), (int) options.failureBackoff().toSeconds()));
                }
            } else {
                deletes.add(new DeleteMessageBatchRequestEntry(Integer.toString(i), message.receiptHandle()));
            }
        }
        List<CompletableFuture<?>> calls = new ArrayList<>(2);
        if (!deletes.isEmpty()) {
            calls.add(client.deleteMessageBatch(new DeleteMessageBatchRequest(queueUrl, deletes))
                    .thenAccept(response -> options.listener().deleted(response.successful().size())));
        }
        if (!backoffs.isEmpty()) {
            calls.add(client.changeMessageVisibilityBatch(new ChangeMessageVisibilityBatchRequest(queueUrl, backoffs)));
        }
        // The slots free once the deletes are answered, so close() returns only after them.
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .whenComplete((ignored, failure) -> slots.release(messages.size()));
    }

    /** {@link #close(Duration)} with the builder's shutdown timeout. */
    @Override
    public void close() {
        close(options.shutdownTimeout());
    }

    /**
     * Stops receiving (ends waiting long polls), lets in-flight handlers finish and their deletes
     * complete, up to {@code timeout}; then stops the consumer's threads. Returns true when
     * everything finished in time.
     */
    public boolean close(Duration timeout) {
        stopping = true;
        polls.forEach(poll -> poll.cancel(true));
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean drained = false;
        try {
            while (System.nanoTime() < deadline) {
                if (runningLoops.get() == 0 && inFlight() == 0) {
                    drained = true;
                    break;
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        if (options.executor() == null) {
            handlers.shutdownNow();
        }
        return drained;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
