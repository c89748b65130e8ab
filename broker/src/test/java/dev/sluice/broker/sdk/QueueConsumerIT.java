package dev.sluice.broker.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.BatchingProducer;
import dev.sluice.clientsdk.ConsumerListener;
import dev.sluice.clientsdk.QueueConsumer;
import dev.sluice.clientsdk.QueueConsumerBuilder;
import dev.sluice.clientsdk.model.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The SDK's QueueConsumer over the HTTP client against a running server. */
class QueueConsumerIT extends RemoteClientFixture {

    /**
     * Four loops; every tenth message fails on its first delivery; every twenty-fifth sleeps 3.5 s, past
     * its 2 s visibility timeout. In the end every message succeeded exactly once, none is left, no
     * failed delivery was deleted, and the slow ones had their visibility extended.
     */
    @Test
    void everyMessageIsHandledSuccessfullyExactlyOnceDespiteFailuresAndSlowHandlers() throws Exception {
        String url = createQueue("consumer-main");
        int count = 200;
        send(url, count);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
        Set<String> failedHandles = ConcurrentHashMap.newKeySet();
        Set<String> slowHandles = ConcurrentHashMap.newKeySet();
        Set<String> extendedMessages = ConcurrentHashMap.newKeySet();
        QueueConsumer consumer = new QueueConsumerBuilder(recorded.client, url)
                .loops(4).visibilityTimeout(Duration.ofSeconds(2)).failureBackoff(Duration.ZERO).waitTimeSeconds(1)
                .listener(new ConsumerListener() {
                    @Override
                    public void visibilityExtended(Message message) {
                        extendedMessages.add(message.body());
                    }
                })
                .handler(message -> {
                    int index = Integer.parseInt(message.body().substring("m-".length()));
                    int attempt = attempts.computeIfAbsent(message.body(), ignored -> new AtomicInteger()).incrementAndGet();
                    if (index % 10 == 0 && attempt == 1) {
                        failedHandles.add(message.receiptHandle());
                        throw new IllegalStateException("first delivery of " + message.body() + " fails");
                    }
                    if (index % 25 == 1) {
                        slowHandles.add(message.receiptHandle());
                        Thread.sleep(3_500);
                    }
                    successes.computeIfAbsent(message.body(), ignored -> new AtomicInteger()).incrementAndGet();
                })
                .build().start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (successes.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // Room for a duplicate to show up, had a slow message been delivered twice.
            Thread.sleep(2_500);
        } finally {
            assertTrue(consumer.close(Duration.ofSeconds(20)), "consumer drained in time");
        }

        assertEquals(count, successes.size());
        successes.forEach((body, times) -> assertEquals(1, times.get(), body + " succeeded more than once"));
        assertEquals(count / 10, failedHandles.size());
        Map<String, String> depth = recorded.client.getQueueAttributes(new GetQueueAttributesRequest(url,
                List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))).get(10, TimeUnit.SECONDS)
                .attributes();
        assertEquals(Map.of("ApproximateNumberOfMessages", "0", "ApproximateNumberOfMessagesNotVisible", "0"), depth);

        Set<String> deletedHandles = new HashSet<>();
        for (DeleteMessageBatchRequest delete : recorded.<DeleteMessageBatchRequest>requests("deleteMessageBatch")) {
            if (!delete.queueUrl().equals(url)) {
                continue;
            }
            assertTrue(delete.entries().size() <= 10);
            delete.entries().forEach(entry -> deletedHandles.add(entry.receiptHandle()));
        }
        failedHandles.forEach(handle -> assertFalse(deletedHandles.contains(handle), "a failed delivery was deleted"));
        assertEquals(count, deletedHandles.size());
        assertEquals(0, recorded.count("deleteMessage"));

        Set<String> extendedHandles = new HashSet<>();
        recorded.<ChangeMessageVisibilityRequest>requests("changeMessageVisibility").stream()
                .filter(change -> change.queueUrl().equals(url))
                .forEach(change -> extendedHandles.add(change.receiptHandle()));
        assertTrue(extendedHandles.containsAll(slowHandles), "every slow message's visibility was extended");
        assertEquals(8, extendedMessages.stream().filter(body -> Integer.parseInt(body.substring(2)) % 25 == 1).count());
    }

    @Test
    void closeFinishesInFlightWorkAndDeletesIt() throws Exception {
        String url = createQueue("consumer-close");
        send(url, 3);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        QueueConsumer consumer = new QueueConsumerBuilder(recorded.client, url).loops(2).waitTimeSeconds(20)
                .handler(message -> {
                    started.incrementAndGet();
                    Thread.sleep(1_000);
                    finished.incrementAndGet();
                })
                .build().start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (started.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long closing = System.nanoTime();
        assertTrue(consumer.close(Duration.ofSeconds(10)));
        // The idle long poll (20 s) was ended, not waited out.
        assertTrue(System.nanoTime() - closing < TimeUnit.SECONDS.toNanos(8));
        assertEquals(3, finished.get());
        assertEquals(0, consumer.inFlight());
        Map<String, String> depth = recorded.client.getQueueAttributes(new GetQueueAttributesRequest(url,
                List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))).get(10, TimeUnit.SECONDS)
                .attributes();
        assertEquals(Map.of("ApproximateNumberOfMessages", "0", "ApproximateNumberOfMessagesNotVisible", "0"), depth);
    }

    @Test
    void aBatchHandlerReportsItsFailuresAndOnlyTheSuccessesAreDeleted() throws Exception {
        String url = createQueue("consumer-batch");
        send(url, 10);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        QueueConsumer consumer = new QueueConsumerBuilder(recorded.client, url).waitTimeSeconds(1)
                .visibilityTimeout(Duration.ofSeconds(60))
                .batchHandler(messages -> {
                    Set<String> failed = new HashSet<>();
                    for (Message message : messages) {
                        if (message.body().equals("m-3")) {
                            failed.add(message.messageId());
                        } else {
                            handled.add(message.body());
                        }
                    }
                    return failed;
                })
                .build().start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (handled.size() < 9 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            assertTrue(consumer.close(Duration.ofSeconds(10)));
        }
        assertEquals(9, handled.size());
        Map<String, String> depth = recorded.client.getQueueAttributes(new GetQueueAttributesRequest(url,
                List.of("ApproximateNumberOfMessagesNotVisible"))).get(10, TimeUnit.SECONDS).attributes();
        assertEquals("1", depth.get("ApproximateNumberOfMessagesNotVisible"), "the failed message stays");
    }

    private String createQueue(String name) throws Exception {
        return recorded.client.createQueue(new CreateQueueRequest(name, null, null)).get(10, TimeUnit.SECONDS).queueUrl();
    }

    private void send(String url, int count) throws Exception {
        List<CompletableFuture<SendMessageResponse>> sent = new ArrayList<>();
        try (BatchingProducer producer = new BatchingProducer(recorded.client)) {
            for (int i = 0; i < count; i++) {
                sent.add(producer.send(new SendMessageRequest(url, "m-" + i, null, null, null, null, null)));
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
}
