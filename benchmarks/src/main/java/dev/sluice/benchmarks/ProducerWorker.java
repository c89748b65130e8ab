package dev.sluice.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
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
    private final AtomicLong nextSequence = new AtomicLong();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    ProducerWorker(SqsAsyncClient sqs, String queueUrl, LoadState state, ScheduledExecutorService retryTimer,
            String runTag, int producerIndex, int bodyBytes, FifoGroups fifoGroups) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.state = state;
        this.retryTimer = retryTimer;
        this.runTag = runTag;
        this.producerIndex = producerIndex;
        this.bodyBytes = bodyBytes;
        this.fifoGroups = fifoGroups;
    }

    /** Completes once the loop has stopped and its last request is answered. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    void start() {
        sendNext();
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
            retryTimer.schedule(this::sendNext, BACKOFF_AFTER_FAILURE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        state.recordSent(response.successful().size());
        if (!response.failed().isEmpty()) {
            BatchResultErrorEntry first = response.failed().get(0);
            state.recordErrors(response.failed().size(),
                    "SendMessageBatch entry: " + first.code() + " " + first.message());
        }
        sendNext();
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
