package dev.sluice.broker.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Placement, partitions and migrations attacked by several operators and clients at once, on four data groups. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PlacementAttackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> attempt(SqsTestServer server, String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> attemptAsync(SqsTestServer server, String method, String path, String body) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode call(SqsTestServer server, String method, String path, String body) throws Exception {
        HttpResponse<String> answer = attempt(server, method, path, body);
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    private static String groupOf(JsonNode described) {
        return described.get("groups").get(0).asText();
    }

    @Test
    void concurrentMigrationsOfOneQueueLeaveNoCopyThatOutlivesItsDelete(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            SqsClient sqs = server.sqs();
            for (int round = 0; round < 3; round++) {
                String name = "contested-" + round;
                String url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
                String home = groupOf(call(server, "GET", "/v1/queues/" + name, null));
                List<CompletableFuture<HttpResponse<String>>> migrations = new ArrayList<>();
                for (int group = 0; group < 4; group++) {
                    if (!home.equals("data-" + group)) {
                        migrations.add(attemptAsync(server, "POST", "/v1/queues/" + name + "/migrate",
                                "{\"toGroup\":\"data-" + group + "\"}"));
                    }
                }
                int started = 0;
                for (CompletableFuture<HttpResponse<String>> migration : migrations) {
                    HttpResponse<String> answer = migration.get(60, TimeUnit.SECONDS);
                    assertTrue(answer.statusCode() == 200 || answer.statusCode() == 400, answer.body());
                    started += answer.statusCode() == 200 ? 1 : 0;
                }
                assertEquals(1, started, "one migration of a queue at a time");
                sqs.deleteQueue(b -> b.queueUrl(url));
                assertEquals(List.of(), sqs.listQueues(b -> b.queueNamePrefix(name)).queueUrls(),
                        "a deleted queue is not listed (no group kept a copy of it)");
            }
        }
    }
}
