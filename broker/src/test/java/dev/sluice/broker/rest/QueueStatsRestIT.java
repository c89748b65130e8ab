package dev.sluice.broker.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.rest.RestClient.Answer;
import dev.sluice.broker.sqs.SqsTestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code GET /v1/queues?stats=true}: each listed queue's backlog and traffic counts as its data group's leader answers
 * them (the console's rates and oldest ages on any node), a queue spread over several groups adding up its partitions.
 * On one node with four data groups; the 3-process cluster is {@code ConsoleClusterIT}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QueueStatsRestIT {
    private SqsTestServer server;
    private RestClient rest;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        server = SqsTestServer.start(data, config -> config.withRaft(config.raft().withDataGroups(4)));
        rest = new RestClient(server.port());
    }

    @AfterAll
    void stop() throws Exception {
        rest.close();
        server.close();
    }

    private Map<String, JsonObject> stats(String prefix) throws Exception {
        Answer listed = rest.get("/v1/queues?stats=true&prefix=" + prefix);
        assertEquals(200, listed.status(), listed.text());
        assertTrue(listed.json().getJsonArray("unavailableGroups").isEmpty(), listed.text());
        Map<String, JsonObject> byName = new LinkedHashMap<>();
        listed.json().getJsonArray("queues").forEach(queue -> byName.put(((JsonObject) queue).getString("name"),
                ((JsonObject) queue).getJsonObject("stats")));
        return byName;
    }

    @Test
    void theListWithStatsGivesEachQueuesBacklogAndTrafficAndAPartitionedQueueSumsItsGroups() throws Exception {
        String busy = server.sqs.createQueue(request -> request.queueName("stats-busy")).queueUrl();
        server.sqs.createQueue(request -> request.queueName("stats-idle"));
        String spread = server.sqs.createQueue(request -> request.queueName("stats-spread")).queueUrl();
        Answer partitioned = rest.put("/v1/queues/stats-spread/partitions", "{\"count\":3}");
        assertEquals(200, partitioned.status(), partitioned.text());
        for (int i = 0; i < 3; i++) {
            String body = "busy-" + i;
            server.sqs.sendMessage(request -> request.queueUrl(busy).messageBody(body));
        }
        for (int i = 0; i < 9; i++) {
            String body = "spread-" + i;
            server.sqs.sendMessage(request -> request.queueUrl(spread).messageBody(body));
        }
        var received = server.sqs.receiveMessage(request -> request.queueUrl(busy).maxNumberOfMessages(2)
                .visibilityTimeout(300)).messages();
        assertEquals(2, received.size());
        Message first = received.get(0);
        server.sqs.deleteMessage(request -> request.queueUrl(busy).receiptHandle(first.receiptHandle()));

        Map<String, JsonObject> stats = stats("stats-");
        assertEquals(java.util.List.of("stats-busy", "stats-idle", "stats-spread"), java.util.List.copyOf(stats.keySet()));
        JsonObject busyStats = stats.get("stats-busy");
        assertEquals(1, busyStats.getLong("visible"), busyStats.encode());
        assertEquals(1, busyStats.getLong("inFlight"), busyStats.encode());
        assertEquals(0, busyStats.getLong("delayed"));
        assertEquals(3, busyStats.getLong("sent"));
        assertEquals(2, busyStats.getLong("received"));
        assertEquals(1, busyStats.getLong("deleted"));
        assertEquals(0, busyStats.getLong("deadLettered"));
        assertTrue(busyStats.getDouble("oldestAgeSeconds") >= 0);
        JsonObject idle = stats.get("stats-idle");
        assertEquals(0, idle.getLong("sent"));
        assertEquals(0, idle.getLong("visible"));
        assertEquals(0.0, idle.getDouble("oldestAgeSeconds"));
        JsonObject spreadStats = stats.get("stats-spread");
        assertEquals(9, spreadStats.getLong("visible"), "summed over the three partitions: " + spreadStats.encode());
        assertEquals(9, spreadStats.getLong("sent"));
    }

    @Test
    void theOldestAgeGrowsWhileAMessageWaits() throws Exception {
        String url = server.sqs.createQueue(request -> request.queueName("aging-one")).queueUrl();
        server.sqs.sendMessage(request -> request.queueUrl(url).messageBody("waits"));
        Thread.sleep(1200);
        double age = stats("aging-").get("aging-one").getDouble("oldestAgeSeconds");
        assertTrue(age >= 1.0, "oldest age " + age);
    }

    @Test
    void theListWithoutStatsHasNoneAndAStatsValueOtherThanABooleanIsRefused() throws Exception {
        server.sqs.createQueue(request -> request.queueName("plain-listed"));
        Answer plain = rest.get("/v1/queues?prefix=plain-");
        assertEquals(200, plain.status());
        assertNull(plain.json().getJsonArray("queues").getJsonObject(0).getJsonObject("stats"));
        assertNull(plain.json().getJsonArray("unavailableGroups"));
        Answer refused = rest.get("/v1/queues?stats=yes");
        assertEquals(400, refused.status());
        assertEquals("InvalidParameterValue", refused.json().getString("code"), refused.text());
    }
}
