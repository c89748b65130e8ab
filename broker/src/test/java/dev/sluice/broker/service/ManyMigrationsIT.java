package dev.sluice.broker.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.service.QueueMigrations.Migration;
import dev.sluice.broker.service.QueueMigrations.State;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.raftstore.catalog.Catalog;
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

/** Migrations recorded by the thousand: a new one still makes progress, however many finished before it. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManyMigrationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode call(SqsTestServer server, String method, String path, String body) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aMigrationProgressesAfterAThousandFinishedOnes(@TempDir Path directory) throws Exception {
        try (SqsTestServer server = SqsTestServer.start(directory, config -> config.withRaft(config.raft().withDataGroups(4)))) {
            Catalog catalog = server.sluice().node().catalog();
            for (int chunk = 0; chunk < 11; chunk++) {
                List<CompletableFuture<Boolean>> puts = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String name = String.format("a-finished-%05d", chunk * 100 + i);
                    puts.add(catalog.put(QueueMigrations.NAMESPACE, "000000000000/" + name,
                            QueueMigrations.encode(new Migration(name, 0, 1, State.COMPLETED, 0, 1, 2))));
                }
                CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
            SqsClient sqs = server.sqs();
            String url = sqs.createQueue(b -> b.queueName("z-moving")).queueUrl();
            for (int i = 0; i < 5; i++) {
                int n = i;
                sqs.sendMessage(b -> b.queueUrl(url).messageBody("m" + n));
            }
            String from = call(server, "GET", "/v1/queues/z-moving", null).get("groups").get(0).asText();
            String to = from.equals("data-1") ? "data-2" : "data-1";
            call(server, "POST", "/v1/queues/z-moving/migrate", "{\"toGroup\":\"" + to + "\"}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long moved = 0;
            while (moved < 5 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                moved = call(server, "GET", "/v1/queues/z-moving/migrate", null).get("moved").asLong();
            }
            assertTrue(moved >= 5, "moved " + moved);
        }
    }
}
