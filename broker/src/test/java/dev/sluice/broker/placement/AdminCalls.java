package dev.sluice.broker.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.sqs.SqsTestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The operators' REST calls the placement tests make (migrations, a queue's groups), over real HTTP. */
final class AdminCalls {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private AdminCalls() {
    }

    /** The call's JSON answer, which must be a 200. */
    static JsonNode call(SqsTestServer server, String method, String path, String body) throws Exception {
        HttpResponse<String> answer = attempt(server, method, path, body);
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    static HttpResponse<String> attempt(SqsTestServer server, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (at most a minute) for the queue's migration to complete; its last report. */
    static JsonNode awaitMigration(SqsTestServer server, String queue) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        JsonNode migration = call(server, "GET", "/v1/queues/" + queue + "/migrate", null);
        while (!migration.get("state").asText().equals("COMPLETED") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            migration = call(server, "GET", "/v1/queues/" + queue + "/migrate", null);
        }
        assertEquals("COMPLETED", migration.get("state").asText(), migration.toString());
        return migration;
    }
}
