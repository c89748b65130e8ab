package dev.sluice.broker.sqs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Producers that send batches of 10 unique bodies in a loop and remember exactly which bodies were
 * acknowledged, for crash and failover tests. Failed batches (the server died) are not counted.
 */
final class TrackedProducers {
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService threads;

    TrackedProducers(int producers, Supplier<SqsClient> clients, String queueUrl) {
        threads = Executors.newFixedThreadPool(producers);
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.execute(() -> {
                try (SqsClient client = clients.get()) {
                    for (int batch = 0; running.get(); batch++) {
                        sendBatch(client, queueUrl, "p" + producer + "-" + batch + "-");
                    }
                }
            });
        }
    }

    private void sendBatch(SqsClient client, String queueUrl, String prefix) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int e = 0; e < 10; e++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("e" + e).messageBody(prefix + e).build());
        }
        try {
            client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).successful()
                    .forEach(ok -> acknowledged.add(prefix + ok.id().substring(1)));
        } catch (RuntimeException unacknowledged) {
            // The server died or a leader changed under this batch: it may or may not be stored.
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /**
     * Waits until at least {@code count} sends were acknowledged, or {@code maxMillis} passed (the caller asserts
     * progress): a count, not a fixed sleep, so a loaded machine gets the same work done and a quiet one is quick.
     */
    void awaitAcknowledged(int count, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (acknowledged.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    Set<String> stop() throws InterruptedException {
        running.set(false);
        threads.shutdown();
        if (!threads.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new AssertionError("producers did not stop");
        }
        return Set.copyOf(acknowledged);
    }
}
