package dev.sluice.broker.placement;

import static dev.sluice.broker.placement.AdminCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * A FIFO queue of a few thousand messages moved to another data group while producers and consumers use it through
 * the AWS SDK with its default retries: no call fails, every acknowledged message is delivered, each message group in
 * order, nothing deleted comes back, a deduplication id sent before the move still deduplicates after it, and the
 * receipt handles of messages in flight across the move still delete them.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class FifoQueueMigrationIT {
    private static final int GROUPS = 8;
    /** Messages in the queue before the move (more for a measurement: -Dsluice.test.fifoMigrationMessages=20000). */
    private static final int PRELOADED = Integer.getInteger("sluice.test.fifoMigrationMessages", 2_000);

    /** What consumers saw of each message group, in delivery order; checks order as it goes. */
    private static final class Deliveries {
        private final Map<String, Integer> nextByGroup = new ConcurrentHashMap<>();
        private final Set<String> delivered = ConcurrentHashMap.newKeySet();
        private final Set<String> deleted = ConcurrentHashMap.newKeySet();
        private final List<String> problems = new ArrayList<>();
        private int redeliveries;

        /** A body "g<k>-<n>": the n-th message of group g<k>; a redelivery repeats one not yet deleted. */
        synchronized void received(String group, String body) {
            int n = Integer.parseInt(body.substring(body.indexOf('-') + 1));
            int next = nextByGroup.getOrDefault(group, 0);
            if (deleted.contains(body)) {
                problems.add("delivered after its delete: " + body);
            } else if (n == next) {
                nextByGroup.put(group, next + 1);
            } else if (n < next) {
                redeliveries++;
            } else {
                problems.add("out of order in " + group + ": " + body + " while expecting n=" + next);
            }
            delivered.add(body);
        }

        synchronized List<String> problems() {
            return List.copyOf(problems);
        }
    }

    @Test
    void aFifoQueueMovesWhileInUseKeepingOrderDeduplicationAndReceiptHandles(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("moving.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
                    QueueAttributeName.VISIBILITY_TIMEOUT, "20"))).queueUrl();
            String from = call(server, "GET", "/v1/queues/moving.fifo", null).get("groups").get(0).asText();
            String to = from.equals("data-2") ? "data-3" : "data-2";
            int[] sent = new int[GROUPS];
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            for (int batch = 0; batch < PRELOADED / 10; batch++) {
                List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    int group = (batch * 10 + i) % GROUPS;
                    String body = "g" + group + "-" + sent[group]++;
                    entries.add(SendMessageBatchRequestEntry.builder().id("e" + i).messageBody(body).messageGroupId("g" + group)
                            .messageDeduplicationId(body).build());
                }
                assertEquals(10, sqs.sendMessageBatch(b -> b.queueUrl(url).entries(entries)).successful().size());
                entries.forEach(entry -> acknowledged.add(entry.messageBody()));
            }
            // A send whose producer will retry it after the move, in a group of its own.
            SendMessageResponse original = sqs.sendMessage(b -> b.queueUrl(url).messageBody("once-0").messageGroupId("once")
                    .messageDeduplicationId("sent-before-the-move"));
            acknowledged.add("once-0");

            // Held across the move: the first message of g0 (its group waits for it) and of g1 (given back after the move).
            Deliveries deliveries = new Deliveries();
            List<Message> held = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(2).visibilityTimeout(120)
                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages();
            assertEquals(List.of("g0-0", "g0-1"), held.stream().map(Message::body).toList());
            held.forEach(message -> deliveries.received("g0", message.body()));

            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicBoolean consuming = new AtomicBoolean(true);
            Thread producer = new Thread(() -> {
                while (producing.get()) {
                    for (int group = 0; group < GROUPS && producing.get(); group++) {
                        String body = "g" + group + "-" + sent[group];
                        String messageGroup = "g" + group;
                        try {
                            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId(messageGroup)
                                    .messageDeduplicationId(body));
                            acknowledged.add(body);
                            sent[group]++;
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }
            });
            List<Thread> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                consumers.add(new Thread(() -> {
                    while (consuming.get()) {
                        try {
                            for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                                    .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID)).messages()) {
                                String group = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
                                if (!group.equals("once")) {
                                    deliveries.received(group, message.body());
                                }
                                deliveries.delivered.add(message.body());
                                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                                deliveries.deleted.add(message.body());
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }));
            }
            producer.start();
            consumers.forEach(Thread::start);
            Thread.sleep(1_000);
            JsonNode started = call(server, "POST", "/v1/queues/moving.fifo/migrate", "{\"toGroup\":\"" + to + "\"}");
            assertEquals("FREEZING", started.get("state").asText());
            assertEquals(from, started.get("fromGroup").asText());

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            JsonNode migration = started;
            while (!migration.get("state").asText().equals("COMPLETED") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                migration = call(server, "GET", "/v1/queues/moving.fifo/migrate", null);
            }
            assertEquals("COMPLETED", migration.get("state").asText(), migration.toString());
            System.out.println("FIFO migration of " + (PRELOADED + 1) + "+ messages: " + migration);

            // The handles taken before the move still work in the new group.
            sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(held.get(1).receiptHandle()).visibilityTimeout(0));
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(held.get(0).receiptHandle()));
            deliveries.deleted.add(held.get(0).body());
            // The producer retries the send from before the move: deduplicated, same id, never delivered twice.
            SendMessageResponse retried = sqs.sendMessage(b -> b.queueUrl(url).messageBody("once-0").messageGroupId("once")
                    .messageDeduplicationId("sent-before-the-move"));
            assertEquals(original.messageId(), retried.messageId());
            assertEquals(original.sequenceNumber(), retried.sequenceNumber());

            producing.set(false);
            producer.join();
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60 + PRELOADED / 50);
            while (!deliveries.delivered.containsAll(acknowledged) && System.nanoTime() < drainUntil) {
                Thread.sleep(200);
            }
            consuming.set(false);
            for (Thread consumer : consumers) {
                consumer.join();
            }

            assertEquals(null, failure.get(), "no call failed through the move");
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(deliveries.delivered);
            assertTrue(missing.isEmpty(), "acknowledged but never delivered: " + missing.size() + " " + missing);
            assertEquals(List.of(), deliveries.problems());
            JsonNode described = call(server, "GET", "/v1/queues/moving.fifo", null);
            assertEquals(to, described.get("groups").get(0).asText());
            assertEquals(1, described.get("groups").size());
            assertTrue(migration.get("moved").asLong() > 0, migration.toString());
            assertEquals("0", sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            SendMessageResponse after = sqs.sendMessage(b -> b.queueUrl(url).messageBody("g0-after").messageGroupId("g0")
                    .messageDeduplicationId("after"));
            assertTrue(after.sequenceNumber().compareTo(original.sequenceNumber()) > 0);
        }
    }
}
