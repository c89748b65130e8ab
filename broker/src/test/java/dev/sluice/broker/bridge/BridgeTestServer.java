package dev.sluice.broker.bridge;

import dev.sluice.broker.HttpProbe;
import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.faasbridge.service.BridgeSettings;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.testing.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A single-node Sluice whose bridge polls with 1 s long polls and re-reads mappings every 200 ms, an
 * AWS SDK v2 SQS client, and a plain HTTP client for the bridge's REST API.
 */
final class BridgeTestServer implements AutoCloseable {
    final SluiceServer server;
    final SqsClient sqs;
    final HttpProbe rest;

    private BridgeTestServer(SluiceServer server) {
        this.server = server;
        this.sqs = SqsTestServer.client(server.httpPort());
        this.rest = new HttpProbe(server.httpPort());
    }

    static BridgeTestServer start(Path dataDirectory) throws Exception {
        return start(dataDirectory, settings());
    }

    static BridgeSettings settings() {
        return BridgeSettings.defaults("http://127.0.0.1:9324").withPollWaitSeconds(1)
                .withRefreshInterval(Duration.ofMillis(200))
                .withScaling(1, 100, Duration.ofMillis(100), Duration.ZERO);
    }

    static BridgeTestServer start(Path dataDirectory, BridgeSettings settings) throws Exception {
        return start(dataDirectory, settings, config -> config);
    }

    /** As {@link #start(Path, BridgeSettings)}, with {@code adjust} applied to the test config. */
    static BridgeTestServer start(Path dataDirectory, BridgeSettings settings, java.util.function.UnaryOperator<SluiceConfig> adjust)
            throws Exception {
        SluiceConfig defaults = SluiceConfig.defaults();
        RaftStoreConfig raft = defaults.raft().withNode("n1", "127.0.0.1", FreePorts.next())
                .withDataDirectory(dataDirectory).withAllowTemporaryStorage(true)
                .withDataGroups(dev.sluice.broker.DataGroupsUnderTest.count());
        SluiceServer server = SluiceServer.start(adjust.apply(defaults.withHttp(defaults.http().withPort(0)).withRaft(raft)),
                List.of(), InstantSource.system(), settings);
        await(() -> server.node().health().ready(), Duration.ofSeconds(30), "the node to become ready");
        return new BridgeTestServer(server);
    }

    String queueArn(String name) {
        return "arn:aws:sqs:us-east-1:000000000000:" + name;
    }

    /** Creates a queue with the given attributes and returns its URL. */
    String createQueue(String name, java.util.Map<String, String> attributes) {
        return sqs.createQueue(b -> b.queueName(name).attributesWithStrings(attributes)).queueUrl();
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return rest.post(path, json);
    }

    /** Creates an HTTP function and a mapping; returns the mapping's UUID. */
    String mapHttpFunction(String function, String invokeUrl, int timeoutSeconds, String mappingJsonFields) throws Exception {
        HttpResponse<String> created = post("/v1/functions", "{\"FunctionName\":\"" + function + "\",\"InvokeUrl\":\"" + invokeUrl
                + "\",\"Timeout\":" + timeoutSeconds + "}");
        if (created.statusCode() != 201) {
            throw new AssertionError("function not created: " + created.statusCode() + " " + created.body());
        }
        HttpResponse<String> mapping = post("/v1/event-source-mappings", "{\"FunctionName\":\"" + function + "\"," + mappingJsonFields + "}");
        if (mapping.statusCode() != 202) {
            throw new AssertionError("mapping not created: " + mapping.statusCode() + " " + mapping.body());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(mapping.body()).get("UUID").asText();
    }

    /** How many bridges GET /v1/bridges counts as alive (heard from within 10 s); -1 when the call failed. */
    int liveBridges() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(rest.get("/v1/bridges?ttlMillis=10000").body())
                    .get("Bridges").size();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    int approximate(String queue, software.amazon.awssdk.services.sqs.model.QueueAttributeName name) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(name)).attributes().get(name));
    }

    /**
     * Waits until the queue holds no message, visible or in flight, read in one GetQueueAttributes: two reads could
     * each see zero while a message moved from in flight back to visible between them.
     */
    void awaitEmpty(String queue) throws InterruptedException {
        var visible = software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES;
        var inFlight = software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE;
        await(() -> {
            var counts = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(visible, inFlight)).attributes();
            return Integer.parseInt(counts.get(visible)) == 0 && Integer.parseInt(counts.get(inFlight)) == 0;
        }, Duration.ofSeconds(20), "queue " + queue + " to be empty");
    }

    /** How often each body occurs. */
    static java.util.Map<String, Integer> counts(List<String> bodies) {
        return bodies.stream().collect(java.util.stream.Collectors.toMap(body -> body, body -> 1, Integer::sum));
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        sqs.close();
        server.close();
    }
}
