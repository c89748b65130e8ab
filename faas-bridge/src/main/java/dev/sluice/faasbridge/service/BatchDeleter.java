package dev.sluice.faasbridge.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.BatchResultErrorEntry;
import dev.sluice.clientsdk.model.DeleteMessageBatchRequest;
import dev.sluice.clientsdk.model.DeleteMessageBatchRequestEntry;
import dev.sluice.clientsdk.model.InvocationBill;
import dev.sluice.clientsdk.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes settled messages of one mapping's queue with DeleteMessageBatch, retrying failed entries with
 * backoff (100 ms doubling) up to {@code attempts} tries. The returned futures always complete normally.
 */
final class BatchDeleter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchDeleter.class);
    private static final int MAX_ENTRIES = 10;

    private final QueueClient queues;
    private final String queueUrl;
    private final String mappingUuid;
    private final int attempts;
    private final ScheduledExecutorService scheduler;
    private final BridgeMetrics metrics;

    BatchDeleter(QueueClient queues, String queueUrl, String mappingUuid, int attempts, ScheduledExecutorService scheduler,
            BridgeMetrics metrics) {
        this.queues = queues;
        this.queueUrl = queueUrl;
        this.mappingUuid = mappingUuid;
        this.attempts = attempts;
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /** Deletes in batches of 10, retrying failed entries; what still fails returns to the queue (at-least-once). */
    CompletableFuture<Void> deleteAll(List<Message> messages) {
        return deleteAll(messages, null);
    }

    /**
     * {@link #deleteAll(List)}, the first batch carrying {@code bill} (an invocation's, billed by the apply of the
     * delete if it removes a message). A batch that got no answer is sent again with its bill (if the first was applied,
     * its messages are gone and the second bills nothing); entries retried after an answer carry none, as the answer
     * settled the bill.
     */
    CompletableFuture<Void> deleteAll(List<Message> messages, InvocationBill bill) {
        List<CompletableFuture<Void>> chunks = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += MAX_ENTRIES) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + MAX_ENTRIES));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(new DeleteMessageBatchRequestEntry(Integer.toString(i), chunk.get(i).receiptHandle()));
            }
            chunks.add(deleteWithRetry(entries, from == 0 ? bill : null, 1));
        }
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> deleteWithRetry(List<DeleteMessageBatchRequestEntry> entries, InvocationBill bill,
            int attempt) {
        InvocationBill[] unsettled = {null};
        return queues.deleteMessageBatch(new DeleteMessageBatchRequest(queueUrl, entries, bill)).handle((response, error) -> {
            if (error != null) {
                unsettled[0] = bill;
                return entries;
            }
            Set<String> retry = response.failed().stream().filter(BatchDeleter::retryable)
                    .map(BatchResultErrorEntry::id).collect(Collectors.toSet());
            int hopeless = response.failed().size() - retry.size();
            if (hopeless > 0) {
                metrics.deleteFailures.increment(hopeless);
            }
            return entries.stream().filter(entry -> retry.contains(entry.id())).toList();
        }).thenCompose(remaining -> {
            if (remaining.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            if (attempt >= attempts) {
                metrics.deleteFailures.increment(remaining.size());
                LOG.warn("mapping {}: {} processed messages could not be deleted after {} attempts; they will be delivered again",
                        mappingUuid, remaining.size(), attempt);
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> retried = new CompletableFuture<>();
            scheduler.schedule(() -> deleteWithRetry(remaining, unsettled[0], attempt + 1)
                            .whenComplete((ok, e) -> retried.complete(null)),
                    100L << Math.min(attempt, 6), TimeUnit.MILLISECONDS);
            return retried;
        });
    }

    /** A receipt handle the queue rejects will not become valid by asking again. */
    private static boolean retryable(BatchResultErrorEntry entry) {
        return !(SqsError.RECEIPT_HANDLE_IS_INVALID.legacyCode().equals(entry.code())
                || SqsError.INVALID_ID_FORMAT.legacyCode().equals(entry.code()));
    }

}
