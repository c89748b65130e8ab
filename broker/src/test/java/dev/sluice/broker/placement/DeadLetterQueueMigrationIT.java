package dev.sluice.broker.placement;

import static dev.sluice.broker.placement.AdminCalls.awaitMigration;
import static dev.sluice.broker.placement.AdminCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.sqs.SqsTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

/**
 * A dead-letter queue with source queues in its own data group and in another one migrates to a third group while
 * its sources dead-letter messages through the AWS SDK: every dead letter arrives in it once (none lost, none twice),
 * a FIFO dead-letter queue keeps each message group's order, the sources go on redriving after the move, and a move
 * task brings the dead letters back to their sources.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DeadLetterQueueMigrationIT {
    private static final int GROUPS = 4;

    @Test
    void aStandardDeadLetterQueueMigratesWhileItsSourcesInTwoGroupsDeadLetterIntoIt(@TempDir Path directory) throws Exception {
        migrateWhileDeadLettering(directory, false);
    }

    @Test
    void aFifoDeadLetterQueueMigratesWhileItsSourcesInTwoGroupsDeadLetterIntoItKeepingGroupOrder(@TempDir Path directory)
            throws Exception {
        migrateWhileDeadLettering(directory, true);
    }

    /**
     * The other way round: a FIFO dead-letter queue copied into the group of one of its sources. Its dead letters go
     * through the outbox while the queue is elsewhere, through the outbox still while the copy fills and while earlier
     * ones are on their way, and by local moves only after them: the source's message group stays in order. The
     * dead-letter queue's old group is further on in its log than the source's, so a dead letter moved into the copy
     * while it fills would sort before the copied ones.
     */
    @Test
    void aFifoDeadLetterQueueCopiedIntoItsSourcesGroupKeepsTheSourcesOrder(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(GROUPS)))) {
            SqsClient sqs = server.sqs();
            Map<QueueAttributeName, String> fifo = Map.of(QueueAttributeName.FIFO_QUEUE, "true");
            String dlq = sqs.createQueue(b -> b.queueName("grave.fifo").attributes(fifo)).queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            String policy = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}";
            String home = groupOf(server, "grave.fifo");
            // Created with a policy naming it, the filler lands in the dead-letter queue's group and moves its log on.
            String filler = sqs.createQueue(b -> b.queueName("filler.fifo").attributes(Map.of(QueueAttributeName.FIFO_QUEUE,
                    "true", QueueAttributeName.REDRIVE_POLICY, policy))).queueUrl();
            assertEquals(home, groupOf(server, "filler.fifo"));
            List<Thread> fillers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int thread = t;
                fillers.add(new Thread(() -> {
                    for (int i = 0; i < 150; i++) {
                        String body = "fill-" + thread + "-" + i;
                        sqs.sendMessage(b -> b.queueUrl(filler).messageBody(body).messageGroupId("f").messageDeduplicationId(body));
                    }
                }));
            }
            fillers.forEach(Thread::start);
            for (Thread thread : fillers) {
                thread.join();
            }
            String source = null;
            for (int i = 0; source == null; i++) {
                String name = "src" + i + ".fifo";
                String url = sqs.createQueue(b -> b.queueName(name).attributes(fifo)).queueUrl();
                if (!groupOf(server, name).equals(home)) {
                    source = url;
                }
            }
            String sourceUrl = source;
            String sourceGroup = groupOf(server, queueName(sourceUrl));
            sqs.setQueueAttributes(b -> b.queueUrl(sourceUrl).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "0",
                    QueueAttributeName.REDRIVE_POLICY, policy)));

            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread deadLettering = new Thread(() -> {
                for (int n = 0; running.get(); n++) {
                    String body = "src-" + n;
                    try {
                        sqs.sendMessage(b -> b.queueUrl(sourceUrl).messageBody(body).messageGroupId("g").messageDeduplicationId(body));
                        sent.add(body);
                        sqs.receiveMessage(b -> b.queueUrl(sourceUrl).maxNumberOfMessages(10));
                        Thread.sleep(20);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
            deadLettering.start();
            Thread.sleep(1_000);
            call(server, "POST", "/v1/queues/grave.fifo/migrate", "{\"toGroup\":\"" + sourceGroup + "\"}");
            awaitMigration(server, "grave.fifo");
            Thread.sleep(1_000);
            running.set(false);
            deadLettering.join();
            assertNull(failure.get(), "no call failed while the dead-letter queue moved");
            receiveUntilDeadLettered(sqs, sourceUrl);
            awaitCount(sqs, dlq, sent.size());

            List<String> bodies = drain(sqs, dlq).stream().map(Message::body).toList();
            assertEquals(sent, bodies, "each dead letter once, in the order its group was sent");
        }
    }

    private static void migrateWhileDeadLettering(Path directory, boolean fifo) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(GROUPS)))) {
            SqsClient sqs = server.sqs();
            String suffix = fifo ? ".fifo" : "";
            Map<QueueAttributeName, String> kind = fifo ? Map.of(QueueAttributeName.FIFO_QUEUE, "true") : Map.of();
            String dlq = sqs.createQueue(b -> b.queueName("graveyard" + suffix).attributes(kind)).queueUrl();
            String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
            Map<QueueAttributeName, String> policy = Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "0",
                    QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}");
            Map<QueueAttributeName, String> source = new HashMap<>(kind);
            source.putAll(policy);
            // Created with its policy, "near" lands in the dead-letter queue's group; "far" is put elsewhere, then points to it.
            String near = sqs.createQueue(b -> b.queueName("near" + suffix).attributes(source)).queueUrl();
            String home = groupOf(server, "graveyard" + suffix);
            assertEquals(home, groupOf(server, "near" + suffix));
            String far = null;
            for (int i = 0; far == null; i++) {
                String name = "far" + i + suffix;
                String url = sqs.createQueue(b -> b.queueName(name).attributes(kind)).queueUrl();
                if (!groupOf(server, name).equals(home)) {
                    far = url;
                }
            }
            String farUrl = far;
            sqs.setQueueAttributes(b -> b.queueUrl(farUrl).attributes(policy));
            String farGroup = groupOf(server, queueName(farUrl));
            String to = null;
            for (int g = 0; to == null; g++) {
                if (!("data-" + g).equals(home) && !("data-" + g).equals(farGroup)) {
                    to = "data-" + g;
                }
            }

            Map<String, String> sourceOf = new ConcurrentHashMap<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean running = new AtomicBoolean(true);
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (String url : List.of(near, farUrl)) {
                threads.add(new Thread(() -> {
                    while (running.get()) {
                        try {
                            String body = queueName(url) + "-" + sent.getAndIncrement();
                            sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId(fifo ? "g" : null)
                                    .messageDeduplicationId(fifo ? body : null));
                            sourceOf.put(body, url);
                            // Received once, a message is dead-lettered by the next receive (maxReceiveCount 1).
                            sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10));
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            Thread.sleep(1_500);
            call(server, "POST", "/v1/queues/graveyard" + suffix + "/migrate", "{\"toGroup\":\"" + to + "\"}");
            awaitMigration(server, "graveyard" + suffix);
            Thread.sleep(1_000); // the sources go on dead-lettering into the queue where it is now
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
            assertNull(failure.get(), "no call failed while the dead-letter queue moved");
            assertEquals(List.of(to), List.of(groupOf(server, "graveyard" + suffix)));
            assertEquals(1, call(server, "GET", "/v1/queues/graveyard" + suffix, null).get("groups").size());

            // The sources' last messages are dead-lettered by further receives.
            for (String url : List.of(near, farUrl)) {
                receiveUntilDeadLettered(sqs, url);
            }
            awaitCount(sqs, dlq, sourceOf.size());

            // Each dead letter once, from its source, a FIFO group in the order it was sent.
            List<Message> dead = drain(sqs, dlq);
            List<String> bodies = dead.stream().map(Message::body).toList();
            assertEquals(sourceOf.size(), bodies.size(), "no dead letter delivered twice: " + bodies);
            assertEquals(new TreeSet<>(sourceOf.keySet()), new TreeSet<>(bodies), "every dead letter arrived");
            for (Message message : dead) {
                String sourceName = queueName(sourceOf.get(message.body()));
                assertTrue(message.attributes().get(MessageSystemAttributeName.DEAD_LETTER_QUEUE_SOURCE_ARN).endsWith(":" + sourceName));
            }
            if (fifo) {
                for (String url : List.of(near, farUrl)) {
                    String prefix = queueName(url) + "-";
                    List<Integer> order = bodies.stream().filter(body -> body.startsWith(prefix))
                            .map(body -> Integer.parseInt(body.substring(prefix.length()))).toList();
                    List<Integer> sorted = new ArrayList<>(order);
                    sorted.sort(null);
                    assertEquals(sorted, order, "a FIFO source's group keeps its order in the dead-letter queue");
                }
            }

            // After the move: new dead letters from both sources, and a move task returns them, the far one across groups.
            Map<String, String> later = new HashMap<>();
            for (String url : List.of(near, farUrl)) {
                for (int i = 0; i < 5; i++) {
                    String body = "after-" + queueName(url) + "-" + i;
                    sqs.sendMessage(b -> b.queueUrl(url).messageBody(body).messageGroupId(fifo ? "g" : null)
                            .messageDeduplicationId(fifo ? body : null));
                    later.put(body, url);
                }
                receiveUntilDeadLettered(sqs, url);
            }
            awaitCount(sqs, dlq, later.size());
            sqs.startMessageMoveTask(b -> b.sourceArn(dlqArn));
            Set<String> back = new TreeSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (back.size() < later.size() && System.nanoTime() < deadline) {
                for (String url : List.of(near, farUrl)) {
                    for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
                        assertEquals(url, later.get(message.body()), "back in the queue it was dead-lettered from");
                        back.add(message.body());
                        sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                    }
                }
            }
            assertEquals(new TreeSet<>(later.keySet()), back);
        }
    }

    /** Receives (visibility 0, maxReceiveCount 1) until a receive answers nothing: all went to the dead-letter queue. */
    private static void receiveUntilDeadLettered(SqsClient sqs, String url) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the source " + url + " still delivers messages it received before");
        }
    }

    /** Receives and deletes until the queue answers nothing. */
    private static List<Message> drain(SqsClient sqs, String url) {
        List<Message> received = new ArrayList<>();
        for (List<Message> got = receive(sqs, url); !got.isEmpty(); got = receive(sqs, url)) {
            received.addAll(got);
            got.forEach(message -> sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle())));
        }
        return received;
    }

    private static List<Message> receive(SqsClient sqs, String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(30)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    private static void awaitCount(SqsClient sqs, String url, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String count = null;
        while (!Integer.toString(expected).equals(count) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            count = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        }
        assertEquals(Integer.toString(expected), count, "every dead letter in the dead-letter queue");
    }

    private static String groupOf(SqsTestServer server, String name) throws Exception {
        return call(server, "GET", "/v1/queues/" + name, null).get("groups").get(0).asText();
    }

    private static String queueName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
