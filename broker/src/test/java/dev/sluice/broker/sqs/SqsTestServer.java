package dev.sluice.broker.sqs;

import dev.sluice.broker.SluiceServer;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.raftstore.RaftStoreConfig;
import dev.sluice.raftstore.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A single-node Sluice on free loopback ports and an AWS SDK v2 SQS client pointed at it. */
public final class SqsTestServer implements AutoCloseable {
    public final SluiceServer server;
    public final SqsClient sqs;

    private SqsTestServer(SluiceServer server, SqsClient sqs) {
        this.server = server;
        this.sqs = sqs;
    }

    public static SqsTestServer start(Path dataDirectory) throws IOException, InterruptedException {
        return start(dataDirectory, config -> config);
    }

    /** Starts with the test defaults (free ports, the given data directory), then {@code adjust} applied. */
    public static SqsTestServer start(Path dataDirectory, java.util.function.UnaryOperator<SluiceConfig> adjust)
            throws IOException, InterruptedException {
        return start(dataDirectory, adjust, InstantSource.system());
    }

    /** As {@link #start(Path, java.util.function.UnaryOperator)}, on the given clock (tests move it forward). */
    public static SqsTestServer start(Path dataDirectory, java.util.function.UnaryOperator<SluiceConfig> adjust,
            InstantSource clock) throws IOException, InterruptedException {
        SluiceConfig defaults = SluiceConfig.defaults();
        RaftStoreConfig raft = defaults.raft().withNode("n1", "127.0.0.1", FreePorts.next())
                .withDataDirectory(dataDirectory).withAllowTemporaryStorage(true)
                .withDataGroups(dev.sluice.broker.DataGroupsUnderTest.count());
        SluiceServer server = SluiceServer.start(adjust.apply(defaults.withHttp(defaults.http().withPort(0)).withRaft(raft)),
                List.of(), clock);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!server.node().health().ready() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return new SqsTestServer(server, client(server.httpPort()));
    }

    public static SqsClient client(int port) {
        return client(port, RetryMode.STANDARD);
    }

    /** A client with the SDK's standard retries that also runs {@code interceptor} (to watch attempts, say). */
    public static SqsClient clientWatchedBy(int port, software.amazon.awssdk.core.interceptor.ExecutionInterceptor interceptor) {
        return builder(port, RetryMode.STANDARD).overrideConfiguration(config -> config.retryStrategy(RetryMode.STANDARD)
                .addExecutionInterceptor(interceptor)).build();
    }

    /** A client that never retries: each failure surfaces to the caller at once. */
    public static SqsClient clientWithoutRetries(int port) {
        return builder(port, null).build();
    }

    /**
     * A client with the SDK's retries in {@code retries}, or none when null: for tests that retry an
     * unanswered request themselves.
     */
    static SqsClient client(int port, RetryMode retries) {
        return builder(port, retries).build();
    }

    private static software.amazon.awssdk.services.sqs.SqsClientBuilder builder(int port, RetryMode retries) {
        return SqsClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(config -> {
                    if (retries == null) {
                        config.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry());
                    } else {
                        config.retryStrategy(retries);
                    }
                });
    }

    /** An AWS SDK for Java v1 client: it speaks SQS's Query (XML) protocol. */
    public static com.amazonaws.services.sqs.AmazonSQS queryClient(int port) {
        return com.amazonaws.services.sqs.AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration(
                        "http://127.0.0.1:" + port, "us-east-1"))
                .withCredentials(new com.amazonaws.auth.AWSStaticCredentialsProvider(
                        new com.amazonaws.auth.BasicAWSCredentials("test", "test")))
                .build();
    }

    /** Receives until the queue answers empty; counts deliveries per body (without deleting). */
    static java.util.Map<String, Integer> drain(SqsClient sqs, String queueUrl) {
        java.util.Map<String, Integer> deliveries = new java.util.HashMap<>();
        while (true) {
            var batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (batch.isEmpty()) {
                return deliveries;
            }
            batch.forEach(message -> deliveries.merge(message.body(), 1, Integer::sum));
        }
    }

    /** The legacy code the SDK reports (from x-amzn-query-error, as against Amazon SQS) and status 400. */
    static void assertError(SqsClient sqs, String code, java.util.function.Consumer<SqsClient> call) {
        var failure = org.junit.jupiter.api.Assertions.assertThrows(
                software.amazon.awssdk.services.sqs.model.SqsException.class, () -> call.accept(sqs));
        org.junit.jupiter.api.Assertions.assertEquals(code, failure.awsErrorDetails().errorCode(), failure.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals(400, failure.statusCode());
    }

    public int port() {
        return server.httpPort();
    }

    /** The running server. */
    public SluiceServer sluice() {
        return server;
    }

    /** Waits up to 15 s until {@code expected} long polls wait on this server (its waiter gauge); fails otherwise. */
    public void awaitWaiters(double expected) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        double waiting = -1;
        while (System.nanoTime() < deadline) {
            waiting = server.meters().get("sluice.sqs.receive.waiters").gauge().value();
            if (waiting == expected) {
                return;
            }
            Thread.sleep(20);
        }
        org.junit.jupiter.api.Assertions.assertEquals(expected, waiting, "long polls waiting");
    }

    /** An AWS SDK v2 SQS client of this server. */
    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public void close() {
        sqs.close();
        server.close();
    }
}
