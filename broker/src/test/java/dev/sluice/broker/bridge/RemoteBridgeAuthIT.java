package dev.sluice.broker.bridge;

import static dev.sluice.broker.bridge.BridgeTestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.bridge.FunctionServer.Reply;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import dev.sluice.clientsdk.http.HttpQueueClient;
import dev.sluice.faasbridge.BridgeOptions;
import dev.sluice.faasbridge.StandaloneBridge;
import dev.sluice.faasbridge.api.http.RestDefinitionStore;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The standalone bridge against a server with access keys: given the credentials, its REST reads of
 * functions and mappings and its queue client sign, so it polls and invokes; without them the server
 * refuses its reads.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RemoteBridgeAuthIT {
    private static final AwsCredentials KEYS = AwsCredentials.of("AKIDBRIDGE", "bridge-secret-1");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path data;

    private static HttpResponse<String> signedPost(String endpoint, String path, String json) throws Exception {
        URI uri = URI.create(endpoint + path);
        Map<String, String> headers = new TreeMap<>(Map.of("Content-Type", "application/json"));
        headers.putAll(new SigV4Signer("lambda", "us-east-1").sign("POST", uri, headers,
                json.getBytes(StandardCharsets.UTF_8), KEYS, Instant.now()).headers());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStandaloneBridgeWithCredentialsServesTheMappingsOfAnAuthenticatedServer() throws Exception {
        SluiceConfig defaults = SluiceConfig.defaults();
        RaftStoreConfig raft = defaults.raft().withNode("n1", "127.0.0.1", FreePorts.next())
                .withDataDirectory(data).withAllowTemporaryStorage(true);
        SluiceConfig config = defaults.withHttp(defaults.http().withPort(0)).withRaft(raft).withAuth(new SluiceConfig.Auth(
                List.of(new SluiceConfig.AccessKey(KEYS.accessKeyId(), KEYS.secretAccessKey(), true))));
        Vertx vertx = Vertx.vertx();
        try (SluiceServer server = SluiceServer.start(config, List.of(), InstantSource.system(), BridgeTestServer.settings());
                FunctionServer function = new FunctionServer();
                SqsClient sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.httpPort()))
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(KEYS.accessKeyId(), KEYS.secretAccessKey()))).build()) {
            await(() -> server.node().health().ready(), Duration.ofSeconds(30), "the node to become ready");
            String endpoint = "http://127.0.0.1:" + server.httpPort();
            String queue = sqs.createQueue(b -> b.queueName("remote-auth")).queueUrl();
            function.respond(event -> Reply.okAfter(1));
            assertEquals(201, signedPost(endpoint, "/v1/functions", "{\"FunctionName\":\"auth-fn\",\"InvokeUrl\":\""
                    + function.url() + "\",\"Timeout\":3}").statusCode());
            HttpResponse<String> mapping = signedPost(endpoint, "/v1/event-source-mappings", "{\"FunctionName\":\"auth-fn\","
                    + "\"EventSourceArn\":\"arn:aws:sqs:us-east-1:000000000000:remote-auth\",\"BatchSize\":5}");
            assertEquals(202, mapping.statusCode(), mapping.body());
            String uuid = new com.fasterxml.jackson.databind.ObjectMapper().readTree(mapping.body()).get("UUID").asText();
            // The server's own bridge polls too; stop it from taking the messages so the standalone one must.
            server.bridge().close();

            RestDefinitionStore unsigned = new RestDefinitionStore(WebClient.create(vertx), endpoint);
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> unsigned.functions().get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("403"), refused.getCause().getMessage());
            RestDefinitionStore signed = new RestDefinitionStore(WebClient.create(vertx), endpoint, KEYS, "us-east-1",
                    InstantSource.system());
            assertEquals("auth-fn", signed.functions().get(10, TimeUnit.SECONDS).get(0).name());

            BridgeOptions options = BridgeOptions.parse(new String[] {"--endpoint", endpoint, "--port", "0",
                    "--poll-wait-seconds", "1", "--refresh-seconds", "1"}).options();
            try (StandaloneBridge standalone = StandaloneBridge.start(options,
                    HttpQueueClient.builder().endpoint(URI.create(endpoint)).credentials(KEYS).build(), KEYS)) {
                await(() -> standalone.bridge().pollers(uuid) >= 1, Duration.ofSeconds(15), "the standalone bridge polling");
                for (int i = 0; i < 10; i++) {
                    int n = i;
                    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("m" + n));
                }
                await(() -> BridgeTestServer.counts(function.bodies()).size() == 10, Duration.ofSeconds(30),
                        "the function to receive all ten messages");
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
