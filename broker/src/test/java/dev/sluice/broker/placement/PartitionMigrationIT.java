package dev.sluice.broker.placement;

import static dev.sluice.broker.placement.AdminCalls.JSON;
import static dev.sluice.broker.placement.AdminCalls.attempt;
import static dev.sluice.broker.placement.AdminCalls.awaitMigration;
import static dev.sluice.broker.placement.AdminCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * A partitioned standard queue changes its layout while producers and consumers use it through the AWS SDK: one
 * partition moves to another data group, or the partition count is lowered (the last partition drains into the
 * others). No call fails, every acknowledged message is delivered, nothing deleted comes back, and a receipt handle
 * of the moving partition deletes its message while the partition drains. A partition of a high-throughput FIFO queue
 * moves by copy, with each message group's order and deduplication and the handles of its messages in flight.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PartitionMigrationIT {
    private static final int GROUPS = 4;

    /** Producers and consumers on one queue, recording what was acknowledged and delivered. */
    private static final class Traffic implements AutoCloseable {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Set<String> delivered = ConcurrentHashMap.newKeySet();
        final Set<String> deleted = ConcurrentHashMap.newKeySet();
        final List<String> problems = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicBoolean producing = new AtomicBoolean(true);
        private final AtomicBoolean consuming = new AtomicBoolean(true);
        private final List<Thread> producers = new ArrayList<>();
        private final List<Thread> consumers = new ArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        Traffic(SqsClient sqs, String url) {
            producers.add(new Thread(() -> {
                while (producing.get()) {
                    String body = "live-" + next.getAndIncrement();
                    try {
                        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
                        acknowledged.add(body);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }));
            for (int c = 0; c < 2; c++) {
                consumers.add(new Thread(() -> {
                    while (consuming.get()) {
                        try {
                            for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                                    .waitTimeSeconds(1)).messages()) {
                                synchronized (problems) {
                                    if (deleted.contains(message.body())) {
                                        problems.add("delivered after its delete: " + message.body());
                                    }
                                }
                                delivered.add(message.body());
                                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                                deleted.add(message.body());
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }));
            }
            producers.forEach(Thread::start);
            consumers.forEach(Thread::start);
        }

        /** Stops producing, lets the consumers take what is left (at most a minute), stops them. */
        void finish() throws InterruptedException {
            producing.set(false);
            for (Thread producer : producers) {
                producer.join();
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!delivered.containsAll(acknowledged) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            close();
        }

        void check() {
            assertNull(failure.get(), "no call failed through the change");
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(delivered);
            assertTrue(missing.isEmpty(), "acknowledged but never delivered: " + missing);
            synchronized (problems) {
                assertEquals(List.of(), problems);
            }
        }

        @Override
        public void close() throws InterruptedException {
            producing.set(false);
            consuming.set(false);
            for (Thread thread : producers) {
                thread.join();
            }
            for (Thread thread : consumers) {
                thread.join();
            }
        }
    }

    @Test
    void aPartitionOfAStandardQueueMovesToAnotherGroupWhileInUseAndLosesNothing(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(GROUPS)))) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("hot")).queueUrl();
            List<String> before = groups(call(server, "PUT", "/v1/queues/hot/partitions", "{\"count\":3}"));
            assertEquals(3, before.size());
            Set<String> preloaded = preload(sqs, url, 300);
            String from = before.get(1);
            String to = outside(before);

            // A message of the moving partition held across the move: its handle names that partition's group.
            Message held = holdOneFrom(sqs, url, from);
            preloaded.remove(held.body());

            HttpResponse<String> unnamed = attempt(server, "POST", "/v1/queues/hot/migrate", "{\"toGroup\":\"" + to + "\"}");
            assertEquals(400, unnamed.statusCode(), unnamed.body());
            assertTrue(unnamed.body().contains("fromGroup"), unnamed.body());

            try (Traffic traffic = new Traffic(sqs, url)) {
                traffic.acknowledged.addAll(preloaded);
                Thread.sleep(500);
                JsonNode started = call(server, "POST", "/v1/queues/hot/migrate",
                        "{\"toGroup\":\"" + to + "\",\"fromGroup\":\"" + from + "\"}");
                assertEquals("RUNNING", started.get("state").asText(), started.toString());
                assertEquals(from, started.get("fromGroup").asText());
                Thread.sleep(1_000);
                // While the partition drains, its handle still deletes the message it names.
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(held.receiptHandle()));
                traffic.deleted.add(held.body());
                JsonNode migration = awaitMigration(server, "hot");
                assertTrue(migration.get("moved").asLong() > 0, migration.toString());
                traffic.finish();
                traffic.check();
            }
            List<String> after = groups(call(server, "GET", "/v1/queues/hot", null));
            assertEquals(List.of(before.get(0), to, before.get(2)), after, "the moved partition took the old one's place");
            assertEquals("0", count(sqs, url));
            // Sends still spread over every partition, the new one included.
            preload(sqs, url, 30);
            assertEquals("30", count(sqs, url));
        }
    }

    @Test
    void loweringThePartitionCountDrainsTheLastPartitionIntoTheOthersWhileInUse(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(GROUPS)))) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("cooling")).queueUrl();
            List<String> before = groups(call(server, "PUT", "/v1/queues/cooling/partitions", "{\"count\":3}"));
            Set<String> preloaded = preload(sqs, url, 300);

            HttpResponse<String> twoAtOnce = attempt(server, "PUT", "/v1/queues/cooling/partitions", "{\"count\":1}");
            assertEquals(400, twoAtOnce.statusCode(), twoAtOnce.body());
            assertEquals("InvalidParameterValue", JSON.readTree(twoAtOnce.body()).get("code").asText());

            try (Traffic traffic = new Traffic(sqs, url)) {
                traffic.acknowledged.addAll(preloaded);
                Thread.sleep(500);
                List<String> lowered = groups(call(server, "PUT", "/v1/queues/cooling/partitions", "{\"count\":2}"));
                assertEquals(before, lowered, "the removed partition is listed while it drains");
                JsonNode migration = awaitMigration(server, "cooling");
                assertEquals(before.get(2), migration.get("fromGroup").asText(), migration.toString());
                assertTrue(before.subList(0, 2).contains(migration.get("toGroup").asText()), migration.toString());
                traffic.finish();
                traffic.check();
            }
            assertEquals(before.subList(0, 2), groups(call(server, "GET", "/v1/queues/cooling", null)));
            preload(sqs, url, 20);
            assertEquals("20", count(sqs, url));
        }
    }

    @Test
    void aPartitionOfAHighThroughputFifoQueueMovesByCopyKeepingEachGroupsOrderDeduplicationAndHandles(@TempDir Path directory)
            throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(GROUPS)))) {
            SqsClient sqs = server.sqs();
            String url = createHighThroughputFifo(sqs, "ht.fifo");
            List<String> before = groups(call(server, "PUT", "/v1/queues/ht.fifo/partitions", "{\"count\":2}"));
            assertEquals(2, before.size());
            sendFifo(sqs, url, 0, 10);
            String from = before.get(1);
            String to = outside(before);
            // The head of one of the moving partition's groups, in flight across the copy: its handle names the old group.
            Message held = holdOneFrom(sqs, url, from);

            JsonNode started = call(server, "POST", "/v1/queues/ht.fifo/migrate",
                    "{\"toGroup\":\"" + to + "\",\"fromGroup\":\"" + from + "\"}");
            assertEquals(from, started.get("fromGroup").asText(), started.toString());
            JsonNode migration = awaitMigration(server, "ht.fifo");
            assertTrue(migration.get("moved").asLong() > 0, migration.toString());
            assertEquals(List.of(before.get(0), to), groups(call(server, "GET", "/v1/queues/ht.fifo", null)),
                    "the copy took the moved partition's place");

            // The handle issued by the old group still deletes its message, which is then never delivered again.
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(held.receiptHandle()));
            // Retries of every send within the deduplication interval store nothing, in either partition.
            sendFifo(sqs, url, 0, 10);
            sendFifo(sqs, url, 10, 15);

            Map<String, List<Integer>> delivered = drainFifo(sqs, url);
            assertEquals(FIFO_GROUPS, delivered.size(), delivered.toString());
            delivered.forEach((group, numbers) -> {
                List<Integer> expected = new ArrayList<>();
                for (int n = held.body().equals(group + ":0") ? 1 : 0; n < 15; n++) {
                    expected.add(n);
                }
                assertEquals(expected, numbers, "group " + group + " in order, each message once");
            });
        }
    }

    @Test
    void aHighThroughputFifoQueuesPartitionCountCannotBeLoweredAndTheAnswerSaysWhy(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(GROUPS)))) {
            createHighThroughputFifo(server.sqs(), "ht.fifo");
            List<String> before = groups(call(server, "PUT", "/v1/queues/ht.fifo/partitions", "{\"count\":2}"));
            HttpResponse<String> lower = attempt(server, "PUT", "/v1/queues/ht.fifo/partitions", "{\"count\":1}");
            assertEquals(400, lower.statusCode(), lower.body());
            assertTrue(lower.body().contains("can only be raised"), lower.body());
            assertEquals(before, groups(call(server, "GET", "/v1/queues/ht.fifo", null)));
        }
    }

    private static final int FIFO_GROUPS = 8;

    private static String createHighThroughputFifo(SqsClient sqs, String name) {
        return sqs.createQueue(b -> b.queueName(name).attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.FIFO_THROUGHPUT_LIMIT, "perMessageGroupId",
                QueueAttributeName.DEDUPLICATION_SCOPE, "messageGroup"))).queueUrl();
    }

    /** Messages {@code from} to {@code until - 1} of every message group, body {@code group:n}, deduplicated by body. */
    private static void sendFifo(SqsClient sqs, String url, int from, int until) {
        for (int n = from; n < until; n++) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int g = 0; g < FIFO_GROUPS; g++) {
                String body = "tenant-" + g + ":" + n;
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + g).messageBody(body).messageGroupId("tenant-" + g)
                        .messageDeduplicationId(body.replace(':', '-')).build());
            }
            var answer = sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries));
            assertEquals(FIFO_GROUPS, answer.successful().size(), answer.toString());
        }
    }

    /** Receives and deletes until the queue is empty: the numbers of each group in the order they came. */
    private static Map<String, List<Integer>> drainFifo(SqsClient sqs, String url) {
        Map<String, List<Integer>> delivered = new java.util.TreeMap<>();
        int empty = 0;
        while (empty < 3) {
            List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            empty = messages.isEmpty() ? empty + 1 : 0;
            for (Message message : messages) {
                String[] parts = message.body().split(":");
                delivered.computeIfAbsent(parts[0], group -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
            }
        }
        return delivered;
    }

    private static Set<String> preload(SqsClient sqs, String url, int count) {
        Set<String> bodies = new HashSet<>();
        for (int batch = 0; batch < count / 10; batch++) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String body = "pre-" + System.nanoTime() + "-" + i;
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(body).build());
                bodies.add(body);
            }
            assertEquals(10, sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).successful().size());
        }
        return bodies;
    }

    /** Receives until a message of {@code group}'s partition comes (its handle names the group); the others go back. */
    private static Message holdOneFrom(SqsClient sqs, String url, String group) {
        String prefix = "g" + group.substring("data-".length()) + ".";
        for (int tries = 0; tries < 50; tries++) {
            Message held = null;
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(120))
                    .messages()) {
                if (held == null && message.receiptHandle().startsWith(prefix)) {
                    held = message;
                } else {
                    sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
                }
            }
            if (held != null) {
                return held;
            }
        }
        throw new AssertionError("no message from " + group);
    }

    private static String count(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    }

    private static List<String> groups(JsonNode answer) {
        List<String> groups = new ArrayList<>();
        answer.get("groups").forEach(group -> groups.add(group.asText()));
        return groups;
    }

    private static String outside(List<String> groups) {
        for (int g = 0; g < GROUPS; g++) {
            if (!groups.contains("data-" + g)) {
                return "data-" + g;
            }
        }
        throw new AssertionError("every group holds the queue");
    }
}
