package dev.sluice.broker.placement;

import static dev.sluice.broker.placement.AdminCalls.JSON;
import static dev.sluice.broker.placement.AdminCalls.attempt;
import static dev.sluice.broker.placement.AdminCalls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
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

/**
 * A live queue moved to another data group while producers and consumers keep using it through the AWS SDK with its
 * default retries: no call fails, every acknowledged message is delivered, nothing deleted comes back, and handles
 * received before the move still delete their messages.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class QueueMigrationIT {

    @Test
    void aQueueMovesToAnotherGroupWhileInUseAndLosesNothing(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("moving")).queueUrl();
            String from = call(server, "GET", "/v1/queues/moving", null).get("groups").get(0).asText();
            String to = from.equals("data-2") ? "data-3" : "data-2";
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 50; i++) {
                String body = "before-" + i;
                sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
                acknowledged.add(body);
            }
            List<Message> heldAcrossTheMove = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(5).visibilityTimeout(120))
                    .messages();
            assertEquals(5, heldAcrossTheMove.size());

            Set<String> deleted = ConcurrentHashMap.newKeySet();
            Map<String, Integer> deliveries = new ConcurrentHashMap<>();
            List<String> resurrected = new ArrayList<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicBoolean consuming = new AtomicBoolean(true);
            Thread producer = new Thread(() -> {
                int n = 0;
                while (producing.get()) {
                    String body = "during-" + n++;
                    try {
                        sqs.sendMessage(b -> b.queueUrl(url).messageBody(body));
                        acknowledged.add(body);
                        Thread.sleep(20);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
            Thread consumer = new Thread(() -> {
                while (consuming.get()) {
                    try {
                        for (Message message : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                                .messages()) {
                            deliveries.merge(message.body(), 1, Integer::sum);
                            if (deleted.contains(message.body())) {
                                synchronized (resurrected) {
                                    resurrected.add(message.body());
                                }
                            }
                            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                            deleted.add(message.body());
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
            });
            producer.start();
            Thread.sleep(1_000);
            JsonNode started = call(server, "POST", "/v1/queues/moving/migrate", "{\"toGroup\":\"" + to + "\"}");
            assertEquals("RUNNING", started.get("state").asText());
            assertEquals(from, started.get("fromGroup").asText());
            for (Message held : heldAcrossTheMove) {
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(held.receiptHandle()));
                deleted.add(held.body());
                deliveries.merge(held.body(), 1, Integer::sum);
            }
            // The consumer joins once the mover has moved something: started at once, it could drain the old group
            // itself before the mover's first step (a slow CI machine did), leaving the mover nothing to prove.
            long movingUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            JsonNode progress = started;
            while (progress.get("moved").asLong() == 0 && !progress.get("state").asText().equals("COMPLETED")
                    && System.nanoTime() < movingUntil) {
                Thread.sleep(100);
                progress = call(server, "GET", "/v1/queues/moving/migrate", null);
            }
            consumer.start();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            String state = "RUNNING";
            while (!state.equals("COMPLETED") && System.nanoTime() < deadline) {
                Thread.sleep(500);
                state = call(server, "GET", "/v1/queues/moving/migrate", null).get("state").asText();
            }
            assertEquals("COMPLETED", state);
            producing.set(false);
            producer.join();
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!deliveries.keySet().containsAll(acknowledged) && System.nanoTime() < drainUntil) {
                Thread.sleep(200);
            }
            consuming.set(false);
            consumer.join();

            assertEquals(null, failure.get(), "no call failed through the move");
            Set<String> missing = new java.util.HashSet<>(acknowledged);
            missing.removeAll(deliveries.keySet());
            assertTrue(missing.isEmpty(), "acknowledged but never delivered: " + missing);
            assertTrue(resurrected.isEmpty(), "delivered after their delete: " + resurrected);
            for (String body : List.of("before-0", "before-1")) {
                assertTrue(deliveries.containsKey(body));
            }
            JsonNode described = call(server, "GET", "/v1/queues/moving", null);
            assertEquals(List.of(to), List.of(described.get("groups").get(0).asText()));
            assertEquals(1, described.get("groups").size());
            JsonNode finished = call(server, "GET", "/v1/queues/moving/migrate", null);
            assertTrue(finished.get("moved").asLong() > 0, finished.toString());
            // No wait for nodes' cached placements (the old group is fenced): the migration ends once drained, where
            // waiting twice for caches to expire took 40 s at least.
            long tookMillis = finished.get("finishedMillis").asLong() - finished.get("startedMillis").asLong();
            System.out.println("QueueMigrationIT: the migration took " + tookMillis + " ms");
            assertTrue(tookMillis < 30_000, "the migration took " + tookMillis + " ms");
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("after"));
            assertEquals("after", sqs.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages().get(0).body());
        }
    }

    @Test
    void migrationsThatCannotKeepTheQueuesPromisesAreRefusedWithAClearError(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            server.sqs().createQueue(b -> b.queueName("ordered.fifo").attributes(
                    Map.of(software.amazon.awssdk.services.sqs.model.QueueAttributeName.FIFO_QUEUE, "true")));
            server.sqs().createQueue(b -> b.queueName("plain"));
            String home = call(server, "GET", "/v1/queues/plain", null).get("groups").get(0).asText();
            String fifoHome = call(server, "GET", "/v1/queues/ordered.fifo", null).get("groups").get(0).asText();
            String[][] refusals = {
                {"ordered.fifo", "{\"toGroup\":\"" + fifoHome + "\"}", "400", "InvalidParameterValue"},
                {"absent.fifo", "{\"toGroup\":\"data-1\"}", "404", "QueueDoesNotExist"},
                {"plain", "{\"toGroup\":\"" + home + "\"}", "400", "InvalidParameterValue"},
                {"plain", "{\"toGroup\":\"data-4\"}", "400", "InvalidParameterValue"},
                {"plain", "{\"toGroup\":\"data-01\"}", "400", "InvalidParameterValue"},
                {"plain", "{\"toGroup\":\"catalog\"}", "400", "InvalidParameterValue"},
                {"plain", "{}", "400", "MissingParameter"},
                {"plain", "{\"toGroup\":3}", "400", "SerializationException"},
                {"plain", "not json", "400", "SerializationException"},
                {"absent", "{\"toGroup\":\"data-1\"}", "404", "QueueDoesNotExist"},
            };
            for (String[] refusal : refusals) {
                HttpResponse<String> answer = attempt(server, "POST", "/v1/queues/" + refusal[0] + "/migrate", refusal[1]);
                assertEquals(Integer.parseInt(refusal[2]), answer.statusCode(), refusal[1] + " -> " + answer.body());
                assertEquals(refusal[3], JSON.readTree(answer.body()).get("code").asText(), refusal[1] + " -> " + answer.body());
            }
            HttpResponse<String> none = attempt(server, "GET", "/v1/queues/plain/migrate", null);
            assertEquals("ResourceNotFoundException", JSON.readTree(none.body()).get("code").asText(), none.body());
            assertEquals(home, call(server, "GET", "/v1/queues/plain", null).get("groups").get(0).asText());
        }
    }
}
