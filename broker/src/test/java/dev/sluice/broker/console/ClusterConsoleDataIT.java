package dev.sluice.broker.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.ThreeNodeServers;
import dev.sluice.broker.config.PeerKey;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Three server nodes in this JVM, with an access key (auth on): the Functions page's data ({@code GET
 * /v1/function-activity}) read on node A shows the invocations and errors node B's bridge made, the other bridges being
 * stopped, with B's errors tagged n2; node B's part ({@code /v1/function-activity/node}) is refused, in the REST error
 * shape and without any of it, to an unsigned caller, to one signing with a wrong secret and to a tenant's key
 * (only the nodes, signing with the key they derive from the configuration, read it); and node A's console
 * Functions page, signed in, shows B's errors and their count. Every node's topic page data shows a subscription
 * failing wherever it failed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterConsoleDataIT {
    /** The configuration's only key, a plain (not admin) one of the default account: a tenant's. */
    private static final AwsCredentials KEYS = AwsCredentials.of("AKIDNODES", "nodes-secret-1");
    private static final SluiceConfig.Auth AUTH = new SluiceConfig.Auth(List.of(new SluiceConfig.AccessKey(KEYS.accessKeyId(),
            KEYS.secretAccessKey())));
    /** What the nodes sign their calls to each other's {@code /node} parts with: derived from the configuration. */
    private static final AwsCredentials PEER = PeerKey.derive(AUTH).map(key -> AwsCredentials.of(key.accessKeyId(),
            key.secretAccessKey())).orElseThrow();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILURE = "the function broke on purpose";

    @TempDir
    Path data;
    /** A fresh cluster for each test: the function test stops two of its bridges. */
    List<SluiceServer> nodes = List.of();

    @BeforeEach
    void start() throws Exception {
        nodes = startThreeNodes();
    }

    @AfterEach
    void stop() {
        nodes.forEach(SluiceServer::close);
    }

    @Test
    void oneNodesFunctionsPageShowsTheInvocationsAndErrorsOfAnotherNodesBridgeAndHostileReadsGetNothing()
            throws Exception {
        try (FailingFunction function = FailingFunction.start();
                SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(endpoint(nodes.get(0))))
                        .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(KEYS.accessKeyId(), KEYS.secretAccessKey()))).build()) {
            String a = endpoint(nodes.get(0));
            String b = endpoint(nodes.get(1));
            String queue = sqs.createQueue(request -> request.queueName("activity-source")
                    .attributesWithStrings(Map.of("VisibilityTimeout", "3"))).queueUrl();
            assertEquals(201, signed("POST", a, "/v1/functions", "{\"FunctionName\":\"activity-fn\",\"InvokeUrl\":\""
                    + function.url() + "\",\"Timeout\":3}", KEYS).statusCode());
            HttpResponse<String> mapping = signed("POST", a, "/v1/event-source-mappings", "{\"FunctionName\":\"activity-fn\","
                    + "\"EventSourceArn\":\"arn:aws:sqs:us-east-1:000000000000:activity-source\",\"BatchSize\":1}", KEYS);
            assertEquals(202, mapping.statusCode(), mapping.body());
            String uuid = JSON.readTree(mapping.body()).get("UUID").asText();
            // Only node B's bridge polls: whatever node A's page shows of the function, B did.
            nodes.get(0).bridge().close();
            nodes.get(2).bridge().close();
            for (int i = 0; i < 3; i++) {
                int n = i;
                sqs.sendMessage(request -> request.queueUrl(queue).messageBody("m" + n));
            }
            await(() -> errors(readNode(b, "/v1/function-activity/node")) >= 2, Duration.ofSeconds(60),
                    "node B's bridge to fail two invocations");
            long errorsOnB = errors(readNode(b, "/v1/function-activity/node"));
            assertFalse(readNode(a, "/v1/function-activity/node").get("Functions").has("activity-fn"),
                    "node A's own bridge did nothing");

            JsonNode page = read(a, "/v1/function-activity");
            JsonNode numbers = page.get("Functions").get("activity-fn");
            assertTrue(numbers.get("Errors").asLong() >= errorsOnB, page.toString());
            assertTrue(numbers.get("Invocations").asLong() >= numbers.get("Errors").asLong(), page.toString());
            assertEquals(0, page.get("UnansweredNodes").size(), page.toString());
            List<JsonNode> recent = new ArrayList<>();
            page.get("RecentErrors").forEach(recent::add);
            assertTrue(recent.size() >= 2, page.toString());
            for (int i = 0; i < recent.size(); i++) {
                JsonNode error = recent.get(i);
                assertEquals("n2", error.get("Node").asText(), page.toString());
                assertEquals(uuid, error.get("MappingUuid").asText());
                Instant at = Instant.parse(error.get("At").asText());
                if (i > 0) {
                    assertFalse(at.isAfter(Instant.parse(recent.get(i - 1).get("At").asText())), "newest first: " + page);
                }
            }

            // The Functions page on node A, signed in with the key, shows them as the operator sees them.
            try (ConsoleBrowser browser = ConsoleBrowser.start(nodes.get(0).httpPort())) {
                browser.open("functions");
                browser.awaitPage("signin");
                browser.type("signin-key", KEYS.accessKeyId());
                browser.type("signin-secret", KEYS.secretAccessKey());
                browser.click("signin");
                By row = By.cssSelector("[data-test=function-row][data-function=activity-fn]");
                browser.until(driver -> !driver.findElements(row).isEmpty() && Long.parseLong(driver.findElement(row)
                        .findElement(ConsoleBrowser.byTest("function-errors")).getText()) >= errorsOnB);
                browser.awaitText(ConsoleBrowser.byTest("function-error"), FAILURE);
                browser.awaitText(ConsoleBrowser.byTest("mapping-errors"), "n2");
                // The console's unsigned probe before the sign-in (whether auth is on) is the only refused call.
                browser.assertNoSevereLogsBut("/v1/queues?maxResults=1 - Failed to load resource: the server responded with a status of 403");
            }

            // Hostile reads of node B's part: no signature, or a signature made with the wrong secret.
            HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(b + "/v1/function-activity/node"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertRefused(unsigned, "MissingAuthenticationToken");
            assertRefused(signed("GET", b, "/v1/function-activity/node", "",
                    AwsCredentials.of(KEYS.accessKeyId(), "not-the-secret")), "SignatureDoesNotMatch");
            assertRefused(signed("GET", b, "/v1/function-activity/node", "", AwsCredentials.of("AKIDSTRANGER", "whatever-1")),
                    "InvalidClientTokenId");
            // A tenant's key reads the sums for its own account (above), never a node's part, which holds every account's.
            assertRefused(signed("GET", b, "/v1/function-activity/node", "", KEYS), "AccessDenied");
            assertRefused(HTTP.send(HttpRequest.newBuilder(URI.create(a + "/v1/function-activity")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()), "MissingAuthenticationToken");
        }
    }

    /**
     * A subscription to a missing queue fails on whichever node's worker took the delivery (or its retry); every node's
     * topic page data ({@code GET /v1/topics/{name}/subscriptions}) shows it failing with the error, naming the node
     * where it failed when that is another one. The nodes' own lists are refused to an unsigned caller.
     */
    @Test
    void everyNodesTopicPageShowsASubscriptionFailingOnAnotherNodeAndCountsEveryNodesPublishes() throws Exception {
        String a = endpoint(nodes.get(0));
        assertEquals(200, signed("PUT", a, "/v1/topics/cluster-failing", "{}", KEYS).statusCode());
        HttpResponse<String> subscribed = signed("POST", a, "/v1/topics/cluster-failing/subscriptions",
                "{\"protocol\":\"sqs\",\"endpoint\":\"arn:aws:sqs:us-east-1:000000000000:cluster-nowhere\"}", KEYS);
        assertEquals(200, subscribed.statusCode(), subscribed.body());
        String id = JSON.readTree(subscribed.body()).get("subscriptionArn").asText().replaceAll(".*:", "");
        assertEquals(200, signed("POST", a, "/v1/topics/cluster-failing/publish", "{\"message\":\"lost\"}", KEYS)
                .statusCode());
        await(() -> nodes.stream().anyMatch(node -> readNode(endpoint(node), "/v1/subscription-failures/node")
                .get("Failures").has(id)), Duration.ofSeconds(60), "a node to fail the delivery");
        String failedOn = null;
        for (SluiceServer node : nodes) {
            if (readNode(endpoint(node), "/v1/subscription-failures/node").get("Failures").has(id)) {
                failedOn = ("n" + (nodes.indexOf(node) + 1));
            }
        }
        for (SluiceServer node : nodes) {
            JsonNode listed = read(endpoint(node), "/v1/topics/cluster-failing/subscriptions").get("subscriptions").get(0);
            assertEquals("Failing", listed.get("status").asText(), "on " + ("n" + (nodes.indexOf(node) + 1)) + ": " + listed);
            assertEquals("queue cluster-nowhere does not exist", listed.get("lastDeliveryError").asText(), listed.toString());
            if (listed.has("failingOn")) {
                assertTrue(nodes.stream().anyMatch(other -> ("n" + (nodes.indexOf(other) + 1)).equals(listed.get("failingOn").asText())));
            }
        }
        // The topic page's counts on one node add up the publishes every node answered (public per-node counts).
        assertEquals(200, signed("PUT", a, "/v1/topics/cluster-counted", "{}", KEYS).statusCode());
        for (SluiceServer node : nodes) {
            HttpResponse<String> published = signed("POST", endpoint(node), "/v1/topics/cluster-counted/publish",
                    "{\"message\":\"counted\"}", KEYS);
            assertEquals(200, published.statusCode(), published.body());
        }
        JsonNode counted = read(a, "/v1/topics/cluster-counted");
        assertEquals(nodes.size(), counted.get("counts").get("PUBLISHED").get("").asLong(), counted.toString());
        assertEquals(0, counted.get("countsMissingFrom").size(), counted.toString());

        HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint(nodes.get(1))
                + "/v1/subscription-failures/node")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, unsigned.statusCode());
        assertFalse(unsigned.body().contains("Failures") || unsigned.body().contains("cluster-nowhere"), unsigned.body());
        HttpResponse<String> tenant = signed("GET", endpoint(nodes.get(1)), "/v1/subscription-failures/node", "", KEYS);
        assertEquals(403, tenant.statusCode(), tenant.body());
        assertTrue(tenant.body().contains("AccessDenied"), tenant.body());
        assertFalse(tenant.body().contains("Failures") || tenant.body().contains("cluster-nowhere"), tenant.body());
        assertTrue(failedOn != null);
    }

    private static void assertRefused(HttpResponse<String> response, String code) {
        assertEquals(403, response.statusCode(), response.body());
        assertTrue(response.body().contains(code), response.body());
        assertFalse(response.body().contains(FAILURE) || response.body().contains("activity-fn")
                || response.body().contains("RecentErrors"), "nothing of the activity: " + response.body());
    }

    private static long errors(JsonNode activity) {
        JsonNode numbers = activity.get("Functions").get("activity-fn");
        return numbers == null ? 0 : numbers.get("Errors").asLong();
    }

    /** The three members of one cluster, started at once (each waits for the others to elect leaders), all ready. */
    private List<SluiceServer> startThreeNodes() throws Exception {
        List<SluiceServer> nodes = ThreeNodeServers.start(data, config -> config.withAuth(AUTH),
                config -> SluiceServer.start(config, List.of(), InstantSource.system(),
                        dev.sluice.faasbridge.service.BridgeSettings.defaults("http://127.0.0.1:9324")
                                .withPollWaitSeconds(1).withRefreshInterval(Duration.ofMillis(200))
                                .withScaling(1, 100, Duration.ofMillis(100), Duration.ZERO)));
        // Each node publishes its HTTP URL into the catalog in the background: wait until both are known.
        await(() -> nodes.stream().allMatch(node -> {
            try {
                return node.node().clusterView().get(5, TimeUnit.SECONDS).nodes().stream()
                        .allMatch(view -> view.httpUrl() != null && !view.httpUrl().isEmpty());
            } catch (Exception e) {
                return false;
            }
        }), Duration.ofSeconds(30), "every node's HTTP URL in the catalog");
        return nodes;
    }

    private static String endpoint(SluiceServer node) {
        return "http://127.0.0.1:" + node.httpPort();
    }

    private static JsonNode read(String endpoint, String path) {
        return read(endpoint, path, KEYS);
    }

    /** A node's own part of the cluster's numbers, read as another node reads it. */
    private static JsonNode readNode(String endpoint, String path) {
        return read(endpoint, path, PEER);
    }

    private static JsonNode read(String endpoint, String path, AwsCredentials keys) {
        try {
            HttpResponse<String> response = signed("GET", endpoint, path, "", keys);
            assertEquals(200, response.statusCode(), response.body());
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> signed(String method, String endpoint, String path, String json, AwsCredentials keys)
            throws Exception {
        URI uri = URI.create(endpoint + path);
        Map<String, String> headers = new TreeMap<>(json.isEmpty() ? Map.of() : Map.of("Content-Type", "application/json"));
        headers.putAll(new SigV4Signer("lambda", "us-east-1").sign(method, uri, headers, json.getBytes(StandardCharsets.UTF_8),
                keys, Instant.now()).headers());
        // Bounded: a request that gets no answer fails the test with its path instead of running into the class timeout.
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).method(method, json.isEmpty()
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A function endpoint on a free loopback port that fails every invocation with {@link #FAILURE}. */
    private static final class FailingFunction implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;

        private FailingFunction(com.sun.net.httpserver.HttpServer server) {
            this.server = server;
        }

        static FailingFunction start() throws java.io.IOException {
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] answer = ("{\"errorMessage\":\"" + FAILURE + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            return new FailingFunction(server);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
