package dev.sluice.broker.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.BatchingProducer;
import dev.sluice.clientsdk.MessageMd5;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SDK's BatchingProducer over the HTTP client against a running server. */
class BatchingProducerIT extends RemoteClientFixture {

    @Test
    void tenThousandConcurrentSendsTakeAtMost1100RequestsAndEachGetsItsOwnResult() throws Exception {
        String url = createQueue("producer-10k", Map.of());
        int messages = 10_000;
        long batchesBefore = recorded.count("sendMessageBatch");
        List<CompletableFuture<SendMessageResponse>> results = new ArrayList<>(messages);
        ExecutorService senders = Executors.newFixedThreadPool(8);
        long startedNanos = System.nanoTime();
        try (BatchingProducer producer = new BatchingProducer(recorded.client)) {
            List<Future<List<CompletableFuture<SendMessageResponse>>>> started = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int first = thread;
                started.add(senders.submit(() -> {
                    List<CompletableFuture<SendMessageResponse>> mine = new ArrayList<>();
                    for (int i = first; i < messages; i += 8) {
                        mine.add(producer.send(new SendMessageRequest(url, "message-" + i, null, null, null, null, null)));
                    }
                    return mine;
                }));
            }
            Map<Integer, CompletableFuture<SendMessageResponse>> byIndex = new HashMap<>();
            for (int thread = 0; thread < 8; thread++) {
                List<CompletableFuture<SendMessageResponse>> mine = started.get(thread).get(60, TimeUnit.SECONDS);
                for (int k = 0; k < mine.size(); k++) {
                    byIndex.put(thread + 8 * k, mine.get(k));
                }
            }
            for (int i = 0; i < messages; i++) {
                results.add(byIndex.get(i));
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            senders.shutdownNow();
        }
        System.out.printf("10,000 sends took %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
        long requests = recorded.count("sendMessageBatch") - batchesBefore;
        assertTrue(requests <= 1_100 && requests >= 1_000, "SendMessageBatch requests: " + requests);

        Map<String, String> storedIdByBody = receiveAll(url, messages);
        HashSet<String> ids = new HashSet<>();
        for (int i = 0; i < messages; i++) {
            SendMessageResponse response = results.get(i).get();
            assertEquals(storedIdByBody.get("message-" + i), response.messageId(), "message " + i);
            assertEquals(MessageMd5.ofBody("message-" + i), response.md5OfMessageBody());
            ids.add(response.messageId());
        }
        assertEquals(messages, ids.size());
    }

    @Test
    void aFailedEntryFailsOnlyItsOwnFuture() throws Exception {
        String url = createQueue("producer-entry", Map.of());
        try (BatchingProducer producer = new BatchingProducer(recorded.client, Duration.ofMillis(50), 100)) {
            CompletableFuture<SendMessageResponse> good = producer.send(send(url, "fine"));
            CompletableFuture<SendMessageResponse> bad = producer.send(send(url, "nul \u0000"));
            CompletableFuture<SendMessageResponse> alsoGood = producer.send(send(url, "also fine"));
            assertEquals(MessageMd5.ofBody("fine"), good.get(10, TimeUnit.SECONDS).md5OfMessageBody());
            assertEquals(MessageMd5.ofBody("also fine"), alsoGood.get(10, TimeUnit.SECONDS).md5OfMessageBody());
            ExecutionException failure = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
            assertEquals(SqsError.INVALID_MESSAGE_CONTENTS, assertInstanceOf(SqsException.class, failure.getCause()).error());
        }
    }

    @Test
    void aBatchNeverExceedsOneMebibyte() throws Exception {
        String url = createQueue("producer-size", Map.of("MaximumMessageSize", "1048576"));
        long before = recorded.count("sendMessageBatch");
        try (BatchingProducer producer = new BatchingProducer(recorded.client, Duration.ofMillis(200), 100)) {
            CompletableFuture<SendMessageResponse> first = producer.send(send(url, "a".repeat(600 * 1024)));
            CompletableFuture<SendMessageResponse> second = producer.send(send(url, "b".repeat(600 * 1024)));
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        }
        assertEquals(2, recorded.count("sendMessageBatch") - before);
    }

    @Test
    void aClosedProducerRefusesNewMessages() {
        BatchingProducer producer = new BatchingProducer(recorded.client);
        producer.close();
        assertTrue(producer.send(send("http://x/000000000000/q", "late")).isCompletedExceptionally());
    }

    private String createQueue(String name, Map<String, String> attributes) throws Exception {
        return recorded.client.createQueue(new CreateQueueRequest(name, attributes, null)).get(10, TimeUnit.SECONDS)
                .queueUrl();
    }

    /** Receives (without deleting) until {@code expected} distinct messages came; body to message id. */
    private Map<String, String> receiveAll(String url, int expected) throws Exception {
        QueueClient inProcess = server.sluice().queueClient();
        Map<String, String> idByBody = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (idByBody.size() < expected && System.nanoTime() < deadline) {
            // Sixteen receives at a time: each is one Raft entry, and they share log writes.
            List<CompletableFuture<ReceiveMessageResponse>> receives = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                receives.add(inProcess.receiveMessage(new ReceiveMessageRequest(url, null, null, null, 10, 600, 1, null)));
            }
            for (CompletableFuture<ReceiveMessageResponse> receive : receives) {
                for (Message message : receive.get(10, TimeUnit.SECONDS).messages()) {
                    idByBody.put(message.body(), message.messageId());
                }
            }
        }
        assertEquals(expected, idByBody.size());
        return idByBody;
    }

    private static SendMessageRequest send(String url, String body) {
        return new SendMessageRequest(url, body, null, null, null, null, null);
    }
}
