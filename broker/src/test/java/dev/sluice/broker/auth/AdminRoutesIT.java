package dev.sluice.broker.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * {@code GET /v1/admin/...} shows Sluice's internals (the internal queues of every topic), so only an operator
 * may read it: any caller while auth is off (loopback only), otherwise only a caller signing with an access key
 * configured as {@code admin=}. Any other signed caller gets AccessDenied (403) in REST's JSON error.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminRoutesIT {
    private static final String OPS = "AKIDADMINOPS";
    private static final String OPS_SECRET = "ops-secret-1234";
    private static final String APP = "AKIDTENANTAPP";
    private static final String APP_SECRET = "app-secret-5678";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path data;

    private static HttpResponse<String> get(int port, String path, AwsCredentials credentials) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (credentials != null) {
            new SigV4Signer("sqs", "us-east-1").sign("GET", uri, Map.of(), new byte[0], credentials, Instant.now())
                    .headers().forEach(request::header);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void createTopic(int port, AwsCredentials credentials) {
        try (SnsClient sns = SnsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()))).build()) {
            sns.createTopic(b -> b.name("admin-visible"));
        }
    }

    @Test
    void onlyAnAdminKeyReadsTheInternalQueuesWhileAuthIsOn() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withAuth(new SluiceConfig.Auth(List.of(
                new SluiceConfig.AccessKey(OPS, OPS_SECRET, true), new SluiceConfig.AccessKey(APP, APP_SECRET)))))) {
            AwsCredentials ops = AwsCredentials.of(OPS, OPS_SECRET);
            AwsCredentials app = AwsCredentials.of(APP, APP_SECRET);
            createTopic(server.port(), app);

            HttpResponse<String> operator = get(server.port(), "/v1/admin/internal-queues", ops);
            assertEquals(200, operator.statusCode(), operator.body());
            assertTrue(operator.body().contains("\"sluice-internal-topic-"), operator.body());

            HttpResponse<String> tenant = get(server.port(), "/v1/admin/internal-queues", app);
            assertEquals(403, tenant.statusCode(), tenant.body());
            assertEquals("application/json", tenant.headers().firstValue("Content-Type").orElse(""));
            JsonNode error = JSON.readTree(tenant.body());
            assertEquals("AccessDenied", error.get("code").asText());
            assertFalse(tenant.body().contains("sluice-internal"), tenant.body());

            assertEquals(403, get(server.port(), "/v1/admin/internal-queues", null).statusCode());
            // The tenant's own API is unchanged.
            assertEquals(200, get(server.port(), "/v1/queues", app).statusCode());
            for (String spelling : List.of("/v1/admin/internal-queues/", "/v1//admin/internal-queues",
                    "/v1/%61dmin/internal-queues", "/v1/admin/./internal-queues", "/v1/Admin/internal-queues")) {
                HttpResponse<String> around = get(server.port(), spelling, app);
                assertFalse(around.body().contains("sluice-internal"), spelling + " -> " + around.body());
                assertTrue(around.statusCode() >= 400, spelling + " -> " + around.statusCode());
            }
        }
    }

    private static HttpResponse<String> send(int port, String method, String path, AwsCredentials credentials)
            throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody());
        new SigV4Signer("sqs", "us-east-1").sign(method, uri, Map.of(), new byte[0], credentials, Instant.now())
                .headers().forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTenantCannotRegisterOrForgetFunctionBridges() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withAuth(new SluiceConfig.Auth(List.of(
                new SluiceConfig.AccessKey(OPS, OPS_SECRET, true), new SluiceConfig.AccessKey(APP, APP_SECRET)))))) {
            AwsCredentials app = AwsCredentials.of(APP, APP_SECRET);
            HttpResponse<String> fake = send(server.port(), "PUT", "/v1/bridges/fake-bridge", app);
            assertEquals(403, fake.statusCode(), fake.body());
            assertEquals(403, send(server.port(), "DELETE", "/v1/bridges/fake-bridge", app).statusCode());
            HttpResponse<String> live = get(server.port(), "/v1/bridges?ttlMillis=60000", AwsCredentials.of(OPS, OPS_SECRET));
            assertFalse(live.body().contains("fake-bridge"), live.body());
        }
    }

    @Test
    void aTenantCannotMoveOrPartitionQueues() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data, config -> config.withAuth(new SluiceConfig.Auth(List.of(
                new SluiceConfig.AccessKey(OPS, OPS_SECRET, true), new SluiceConfig.AccessKey(APP, APP_SECRET)))))) {
            AwsCredentials app = AwsCredentials.of(APP, APP_SECRET);
            for (String[] call : List.of(new String[] {"PUT", "/v1/queues/mine/partitions"},
                    new String[] {"POST", "/v1/queues/mine/migrate"}, new String[] {"GET", "/v1/queues/mine/migrate"})) {
                HttpResponse<String> refused = send(server.port(), call[0], call[1], app);
                assertEquals(403, refused.statusCode(), call[1] + " -> " + refused.body());
                assertEquals("AccessDenied", JSON.readTree(refused.body()).get("code").asText());
            }
            HttpResponse<String> operator = send(server.port(), "GET", "/v1/queues/mine/migrate", AwsCredentials.of(OPS, OPS_SECRET));
            assertEquals("ResourceNotFoundException", JSON.readTree(operator.body()).get("code").asText(), operator.body());
        }
    }

    @Test
    void withAuthOffTheLoopbackCallerIsTheOperator() throws Exception {
        try (SqsTestServer server = SqsTestServer.start(data)) {
            createTopic(server.port(), AwsCredentials.of("test", "test-secret"));
            HttpResponse<String> anyone = get(server.port(), "/v1/admin/internal-queues", null);
            assertEquals(200, anyone.statusCode(), anyone.body());
            assertTrue(anyone.body().contains("\"sluice-internal-topic-"), anyone.body());
        }
    }
}
