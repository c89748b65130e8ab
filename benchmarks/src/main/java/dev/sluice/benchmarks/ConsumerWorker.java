package dev.sluice.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * One consumer loop: ReceiveMessage (long polling, up to {@link SqsLoadGenerator#BATCH_SIZE}), then
 * DeleteMessageBatch of the receipts, then the next receive, so it never has more than one request
 * in flight.
 *
 * <p>Runs on the SDK's completion threads (and the retry timer after a failure), one step at a
 * time. Stops, completing {@link #finished()}, on the first empty receive once the producers have
 * stopped (the queue is drained), or at the first step in {@link LoadPhase#STOPPED}.
 */
final class ConsumerWorker {

    private final SqsAsyncClient sqs;
    private final LoadState state;
    private final ScheduledExecutorService retryTimer;
    private final String runTag;
    private final String queueUrl;
    private final ReceiveMessageRequest receiveRequest;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    ConsumerWorker(SqsAsyncClient sqs, String queueUrl, LoadState state, ScheduledExecutorService retryTimer,
            String runTag, int waitSeconds) {
        this.sqs = sqs;
        this.state = state;
        this.retryTimer = retryTimer;
        this.runTag = runTag;
        this.queueUrl = queueUrl;
        this.receiveRequest = ReceiveMessageRequest.builder()
                .queueUrl(queueUrl)
                .maxNumberOfMessages(SqsLoadGenerator.BATCH_SIZE)
                .waitTimeSeconds(waitSeconds)
                .build();
    }

    /** Completes once the loop has stopped and its last request is answered. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    void start() {
        receiveNext();
    }

    private void receiveNext() {
        if (state.phase() == LoadPhase.STOPPED) {
            finished.complete(null);
            return;
        }
        try {
            sqs.receiveMessage(receiveRequest).whenComplete(this::onReceived);
        } catch (RuntimeException e) {
            onReceived(null, e);
        }
    }

    private void onReceived(ReceiveMessageResponse response, Throwable failure) {
        long receivedNanos = System.nanoTime();
        if (failure != null) {
            afterFailure("ReceiveMessage", failure);
            return;
        }
        List<Message> messages = response.messages();
        state.recordReceive(messages.size());
        if (messages.isEmpty()) {
            if (state.phase() == LoadPhase.DRAIN && state.producersStopped()) {
                finished.complete(null);
            } else {
                receiveNext();
            }
            return;
        }
        List<DeleteMessageBatchRequestEntry> receipts = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            OptionalLong sentNanos = MessageBody.sendNanos(runTag, message.body());
            if (sentNanos.isPresent()) {
                state.recordLatency(receivedNanos - sentNanos.getAsLong());
            } else {
                state.recordForeignMessage();
            }
            receipts.add(DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(message.receiptHandle())
                    .build());
        }
        DeleteMessageBatchRequest delete = DeleteMessageBatchRequest.builder().queueUrl(queueUrl).entries(receipts).build();
        try {
            sqs.deleteMessageBatch(delete).whenComplete(this::onDeleted);
        } catch (RuntimeException e) {
            onDeleted(null, e);
        }
    }

    private void onDeleted(DeleteMessageBatchResponse response, Throwable failure) {
        if (failure != null) {
            // The undeleted messages come back after the visibility timeout; the drain may miss them.
            afterFailure("DeleteMessageBatch", failure);
            return;
        }
        state.recordDeleted(response.successful().size());
        if (!response.failed().isEmpty()) {
            BatchResultErrorEntry first = response.failed().get(0);
            state.recordErrors(response.failed().size(),
                    "DeleteMessageBatch entry: " + first.code() + " " + first.message());
        }
        receiveNext();
    }

    private void afterFailure(String action, Throwable failure) {
        if (state.phase() == LoadPhase.STOPPED) {
            finished.complete(null);
            return;
        }
        state.recordErrors(1, action + ": " + SqsLoadGenerator.describe(failure));
        retryTimer.schedule(this::receiveNext, ProducerWorker.BACKOFF_AFTER_FAILURE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
