package dev.sluice.clientsdk;

import dev.sluice.clientsdk.model.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends messages in SendMessageBatch requests: {@link #send} collects messages per queue and sends a
 * batch when it has 10 entries, when the next message would take it over 1 MiB, or when the oldest
 * message has waited the linger time; each caller's future completes with its own message's result
 * (a failed entry fails only its own future, with the entry's SQS error). Bounded: at most
 * {@code maxPendingMessages} messages wait or fly at once; beyond that {@link #send} fails at once
 * with {@link SqsError#OVER_LIMIT}. Thread-safe; {@link #send} never blocks. {@link #close} sends
 * what is collected and refuses new messages.
 */
public final class BatchingProducer implements AutoCloseable {

    /** SQS's limits for one SendMessageBatch. */
    public static final int MAX_BATCH_ENTRIES = 10;
    public static final long MAX_BATCH_BYTES = 1024 * 1024;

    private final QueueClient client;
    private final Duration linger;
    private final int maxPendingMessages;
    private final ScheduledExecutorService timer;
    private final Map<String, Batch> open = new HashMap<>();
    private final AtomicLong batchesSent = new AtomicLong();
    private int pending;
    private boolean closed;

    /**
     * @param client where batches go (the HTTP client or the in-process one)
     * @param linger how long the first message of a batch may wait for company; default 5 ms
     * @param maxPendingMessages messages collected or in flight at once before {@link #send} refuses
     */
    public BatchingProducer(QueueClient client, Duration linger, int maxPendingMessages) {
        this.client = Objects.requireNonNull(client, "client");
        if (linger.isNegative() || maxPendingMessages < 1) {
            throw new IllegalArgumentException("need linger >= 0 and maxPendingMessages >= 1");
        }
        this.linger = linger;
        this.maxPendingMessages = maxPendingMessages;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-batching-producer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A producer with a 5 ms linger and at most 100,000 pending messages. */
    public BatchingProducer(QueueClient client) {
        this(client, Duration.ofMillis(5), 100_000);
    }

    /**
     * Queues one message for its queue's next batch. The request's fields map onto a batch entry;
     * the answer carries the entry's message id, MD5s and sequence number.
     */
    public CompletableFuture<SendMessageResponse> send(SendMessageRequest request) {
        CompletableFuture<SendMessageResponse> result = new CompletableFuture<>();
        long size = MessageSize.of(request.messageBody() == null ? "" : request.messageBody(), request.messageAttributes());
        List<Batch> full = new ArrayList<>(2);
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the producer is closed"));
            }
            if (pending >= maxPendingMessages) {
                return CompletableFuture.failedFuture(SqsError.OVER_LIMIT.exception(
                        "More than " + maxPendingMessages + " messages are waiting to be sent."));
            }
            pending++;
            Batch batch = open.get(request.queueUrl());
            if (batch != null && batch.bytes + size > MAX_BATCH_BYTES) {
                full.add(take(request.queueUrl()));
                batch = null;
            }
            if (batch == null) {
                batch = new Batch(request.queueUrl());
                open.put(request.queueUrl(), batch);
                Batch scheduled = batch;
                batch.timer = timer.schedule(() -> flushIfOpen(scheduled), linger.toNanos(), TimeUnit.NANOSECONDS);
            }
            batch.add(request, size, result);
            if (batch.messages.size() == MAX_BATCH_ENTRIES) {
                full.add(take(request.queueUrl()));
            }
        }
        full.forEach(this::sendBatch);
        return result;
    }

    /** Sends every collected batch now. */
    public void flush() {
        List<Batch> batches;
        synchronized (this) {
            batches = new ArrayList<>(open.values());
            open.clear();
        }
        batches.forEach(this::sendBatch);
    }

    /** SendMessageBatch requests sent so far. */
    public long batchesSent() {
        return batchesSent.get();
    }

    /** Sends what is collected and refuses new messages; in-flight batches still complete their futures. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        flush();
        timer.shutdown();
    }

    private synchronized Batch take(String queueUrl) {
        Batch batch = open.remove(queueUrl);
        if (batch != null && batch.timer != null) {
            batch.timer.cancel(false);
        }
        return batch;
    }

    private void flushIfOpen(Batch batch) {
        synchronized (this) {
            if (open.get(batch.queueUrl) != batch) {
                return;
            }
            open.remove(batch.queueUrl);
        }
        sendBatch(batch);
    }

    private void sendBatch(Batch batch) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.messages.size());
        for (int i = 0; i < batch.messages.size(); i++) {
            SendMessageRequest message = batch.messages.get(i);
            entries.add(new SendMessageBatchRequestEntry(Integer.toString(i), message.messageBody(),
                    message.delaySeconds(), message.messageAttributes(), message.messageSystemAttributes(),
                    message.messageDeduplicationId(), message.messageGroupId()));
        }
        batchesSent.incrementAndGet();
        CompletableFuture<SendMessageBatchResponse> sent;
        try {
            sent = client.sendMessageBatch(new SendMessageBatchRequest(batch.queueUrl, entries));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((response, failure) -> {
            synchronized (this) {
                pending -= batch.messages.size();
            }
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                batch.results.forEach(result -> result.completeExceptionally(cause));
                return;
            }
            complete(batch, response);
        });
    }

    private static void complete(Batch batch, SendMessageBatchResponse response) {
        for (SendMessageBatchResultEntry entry : response.successful()) {
            batch.results.get(Integer.parseInt(entry.id())).complete(new SendMessageResponse(entry.md5OfMessageBody(),
                    entry.md5OfMessageAttributes(), entry.md5OfMessageSystemAttributes(), entry.messageId(),
                    entry.sequenceNumber()));
        }
        for (BatchResultErrorEntry entry : response.failed()) {
            SqsError error = SqsError.ofCode(entry.code());
            batch.results.get(Integer.parseInt(entry.id())).completeExceptionally(
                    (error != null ? error : entry.senderFault() ? SqsError.INVALID_PARAMETER_VALUE : SqsError.INTERNAL_ERROR)
                            .exception(entry.message()));
        }
        // An entry the server left out of both lists would otherwise wait forever.
        batch.results.forEach(result -> result.completeExceptionally(
                SqsError.INTERNAL_ERROR.exception("The batch answer did not mention this message.")));
    }

    /** Messages collected for one queue; guarded by the producer's lock until taken. */
    private static final class Batch {
        final String queueUrl;
        final List<SendMessageRequest> messages = new ArrayList<>(MAX_BATCH_ENTRIES);
        final List<CompletableFuture<SendMessageResponse>> results = new ArrayList<>(MAX_BATCH_ENTRIES);
        long bytes;
        ScheduledFuture<?> timer;

        Batch(String queueUrl) {
            this.queueUrl = queueUrl;
        }

        void add(SendMessageRequest message, long size, CompletableFuture<SendMessageResponse> result) {
            messages.add(message);
            results.add(result);
            bytes += size;
        }
    }
}
