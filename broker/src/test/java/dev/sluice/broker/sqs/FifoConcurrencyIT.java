package dev.sluice.broker.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * 8 consumers, 16 groups, 10,000 messages, producers and consumers at once: each group arrives
 * complete and in order, no group is ever held by two consumers at once, and nothing is delivered
 * again after its delete.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FifoConcurrencyIT {
    private static final int GROUPS = 16;
    private static final int PER_GROUP = 625;
    private static final int CONSUMERS = 8;
    private static final int PRODUCERS = 2;

    @TempDir
    static Path dir;
    static SqsTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyGroupArrivesInOrderOneConsumerAtATimeAndNothingTwiceAfterDelete() throws Exception {
        String url = FifoQueueIT.createFifo(server.sqs, "concurrent.fifo", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "120"));
        AtomicReferenceArray<String> holder = new AtomicReferenceArray<>(GROUPS);
        AtomicIntegerArray nextExpected = new AtomicIntegerArray(GROUPS);
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
        List<Future<?>> work = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            work.add(threads.submit(() -> produce(url, producer)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        for (int c = 0; c < CONSUMERS; c++) {
            String consumer = "c" + c;
            work.add(threads.submit(() -> consume(url, consumer, holder, nextExpected, deleted, violations, deadline)));
        }
        for (Future<?> future : work) {
            future.get(170, TimeUnit.SECONDS);
        }
        threads.shutdown();

        assertEquals(List.of(), violations);
        assertEquals(GROUPS * PER_GROUP, deleted.size());
        for (int g = 0; g < GROUPS; g++) {
            assertEquals(PER_GROUP, nextExpected.get(g), "group " + g + " complete");
        }
    }

    /** Each producer owns half of the groups and sends them in order, in batches of 10. */
    private static void produce(String url, int producer) {
        try (SqsClient sqs = SqsTestServer.client(server.port())) {
            List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
            for (int i = 0; i < PER_GROUP; i++) {
                for (int g = producer; g < GROUPS; g += PRODUCERS) {
                    String body = g + ":" + i;
                    batch.add(SendMessageBatchRequestEntry.builder().id("e" + batch.size()).messageBody(body)
                            .messageGroupId("group-" + g).messageDeduplicationId(body.replace(':', '-')).build());
                    if (batch.size() == 10) {
                        send(sqs, url, batch);
                    }
                }
            }
            if (!batch.isEmpty()) {
                send(sqs, url, batch);
            }
        }
    }

    private static void send(SqsClient sqs, String url, List<SendMessageBatchRequestEntry> batch) {
        var response = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(batch));
        assertTrue(response.failed().isEmpty(), response.failed().toString());
        batch.clear();
    }

    private static void consume(String url, String consumer, AtomicReferenceArray<String> holder,
            AtomicIntegerArray nextExpected, Set<String> deleted, List<String> violations, long deadline) {
        try (SqsClient sqs = SqsTestServer.client(server.port())) {
            while (deleted.size() < GROUPS * PER_GROUP && System.nanoTime() < deadline && violations.isEmpty()) {
                List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
                Set<Integer> held = new java.util.TreeSet<>();
                for (Message message : messages) {
                    String[] parts = message.body().split(":");
                    int group = Integer.parseInt(parts[0]);
                    if (held.add(group) && !holder.compareAndSet(group, null, consumer)) {
                        violations.add(consumer + " got group " + group + " while " + holder.get(group) + " held it");
                    }
                    if (deleted.contains(message.body())) {
                        violations.add("delivered again after delete: " + message.body());
                    }
                    int index = Integer.parseInt(parts[1]);
                    if (!nextExpected.compareAndSet(group, index, index + 1)) {
                        violations.add("group " + group + ": got " + index + ", expected " + nextExpected.get(group));
                    }
                }
                // Release before deleting: the server keeps the group locked until the delete lands.
                held.forEach(group -> holder.set(group, null));
                if (!messages.isEmpty()) {
                    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (Message message : messages) {
                        entries.add(DeleteMessageBatchRequestEntry.builder().id("d" + entries.size())
                                .receiptHandle(message.receiptHandle()).build());
                    }
                    var response = sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries));
                    if (!response.failed().isEmpty()) {
                        violations.add("delete failed: " + response.failed());
                    }
                    messages.forEach(message -> deleted.add(message.body()));
                }
            }
        }
    }
}
