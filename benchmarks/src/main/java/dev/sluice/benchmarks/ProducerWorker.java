package dev.sluice.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * One producer loop: SendMessageBatch of {@link SqsLoadGenerator#BATCH_SIZE} messages, the next
 * batch as soon as the previous one is answered, so it never has more than one request in flight.
 * Paced, it sends a batch every {@code batchIntervalNanos} instead (from a random start within the
 * first interval, so producers do not send in step), or at once while it is behind.
 *
 * <p>Runs on the SDK's completion threads (and the retry timer after a failure), one step at a
 * time. Stops, completing {@link #finished()}, at the first step after the run leaves
 * {@link LoadPhase#MEASURE}.
 */
final class ProducerWorker {

    /** Pause after a failed request, so a dead server does not turn the loop into a busy spin. */
    static final long BACKOFF_AFTER_FAILURE_MILLIS = 100;

    private final SqsAsyncClient sqs;
    private final String queueUrl;
    private final LoadState state;
    private final ScheduledExecutorService retryTimer;
    private final String runTag;
    private final int producerIndex;
    private final int bodyBytes;
    /** Null for a standard queue. */
    private final FifoGroups fifoGroups;
    private final long batchIntervalNanos;
    private final AtomicLong nextSequence = new AtomicLong();
    /** When the next paced batch is due (System.nanoTime); written by one step at a time. */
    private volatile long nextDueNanos;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    ProducerWorker(SqsAsyncClient sqs, String queueUrl, LoadState state, ScheduledExecutorService retryTimer,
            String runTag, int producerIndex, int bodyBytes, FifoGroups fifoGroups, long batchIntervalNanos) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.state = state;
        this.retryTimer = retryTimer;
        this.runTag = runTag;
        this.producerIndex = producerIndex;
        this.bodyBytes = bodyBytes;
        this.fifoGroups = fifoGroups;
        this.batchIntervalNanos = batchIntervalNanos;
    }

    /** Completes once the loop has stopped and its last request is answered. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    void start() {
        if (batchIntervalNanos == 0) {
            sendNext();
            return;
        }
        long offset = ThreadLocalRandom.current().nextLong(batchIntervalNanos);
        nextDueNanos = System.nanoTime() + offset;
        retryTimer.schedule(this::sendNext, offset, TimeUnit.NANOSECONDS);
    }

    /** The next batch: now when unpaced or behind, else when it is due. */
    private void sendWhenDue() {
        if (batchIntervalNanos == 0) {
            sendNext();
            return;
        }
        nextDueNanos += batchIntervalNanos;
        long wait = nextDueNanos - System.nanoTime();
        if (wait > 0) {
            retryTimer.schedule(this::sendNext, wait, TimeUnit.NANOSECONDS);
        } else {
            sendNext();
        }
    }

    private void sendNext() {
        if (state.phase().compareTo(LoadPhase.MEASURE) > 0) {
            finished.complete(null);
            return;
        }
        try {
            sqs.sendMessageBatch(nextBatch()).whenComplete(this::onAnswer);
        } catch (RuntimeException e) {
            onAnswer(null, e);
        }
    }

    private void onAnswer(SendMessageBatchResponse response, Throwable failure) {
        if (failure != null) {
            state.recordErrors(1, "SendMessageBatch: " + SqsLoadGenerator.describe(failure));
            retryTimer.schedule(this::sendWhenDue, BACKOFF_AFTER_FAILURE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        state.recordSent(response.successful().size());
        if (!response.failed().isEmpty()) {
            BatchResultErrorEntry first = response.failed().get(0);
            state.recordErrors(response.failed().size(),
                    "SendMessageBatch entry: " + first.code() + " " + first.message());
        }
        sendWhenDue();
    }

    private SendMessageBatchRequest nextBatch() {
        String body = MessageBody.encode(runTag, System.nanoTime(), bodyBytes);
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(SqsLoadGenerator.BATCH_SIZE);
        for (int i = 0; i < SqsLoadGenerator.BATCH_SIZE; i++) {
            SendMessageBatchRequestEntry.Builder entry = SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(body);
            if (fifoGroups != null) {
                entry.messageGroupId(fifoGroups.next())
                        .messageDeduplicationId(runTag + "-" + producerIndex + "-" + nextSequence.getAndIncrement());
            }
            entries.add(entry.build());
        }
        return SendMessageBatchRequest.builder().queueUrl(queueUrl).entries(entries).build();
    }
}
