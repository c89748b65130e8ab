package dev.sluice.clientsdk.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.http.CannedHttpServer.Answer;
import dev.sluice.clientsdk.model.GetQueueUrlRequest;
import dev.sluice.clientsdk.model.GetQueueUrlResponse;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The HTTP client's transport rules against a real HTTP server that answers as scripted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpQueueClientTest {

    private static final String URL_BODY = "{\"QueueUrl\":\"http://h/000000000000/q\"}";
    private static final GetQueueUrlRequest REQUEST = new GetQueueUrlRequest("q", null);

    private static HttpQueueClientBuilder<HttpQueueClient> client(CannedHttpServer server) {
        return HttpQueueClient.builder().endpoint(server.uri()).random(new Random(7))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20)));
    }

    @Test
    void serverErrorsAreTriedAgainUntilOneSucceeds() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> n < 2
                ? Answer.error(500, "InternalError", "InternalError") : Answer.ok(URL_BODY))) {
            GetQueueUrlResponse response = client(server).build().getQueueUrl(REQUEST).get(10, TimeUnit.SECONDS);
            assertEquals("http://h/000000000000/q", response.queueUrl());
            assertEquals(3, server.requests());
        }
    }

    @Test
    void retriesStopAtMaxAttemptsWithTheLastError() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> Answer.error(503, "ServiceUnavailable", null))) {
            SqsException error = failure(client(server).build().getQueueUrl(REQUEST), SqsException.class);
            assertEquals(SqsError.SERVICE_UNAVAILABLE, error.error());
            assertEquals(3, server.requests());
        }
    }

    @Test
    void throttlingIsTriedAgain() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> n == 0
                ? Answer.error(400, "RequestThrottled", "RequestThrottled") : Answer.ok(URL_BODY))) {
            client(server).build().getQueueUrl(REQUEST).get(10, TimeUnit.SECONDS);
            assertEquals(2, server.requests());
        }
    }

    @Test
    void clientErrorsAreTypedAndNotTriedAgain() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> Answer.error(400, "QueueDoesNotExist",
                "AWS.SimpleQueueService.NonExistentQueue"))) {
            SqsException error = failure(client(server).build().getQueueUrl(REQUEST), SqsException.class);
            assertEquals(SqsError.QUEUE_DOES_NOT_EXIST, error.error());
            assertEquals("canned QueueDoesNotExist", error.getMessage());
            assertEquals(1, server.requests());
        }
    }

    @Test
    void anErrorKnownOnlyByItsQueryCodeHeaderIsStillTyped() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> new Answer(400,
                Map.of("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"), "", 0))) {
            assertEquals(SqsError.QUEUE_DOES_NOT_EXIST,
                    failure(client(server).build().getQueueUrl(REQUEST), SqsException.class).error());
        }
    }

    @Test
    void connectionFailuresAreTriedAgainThenReported() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpQueueClient client = HttpQueueClient.builder().endpoint(URI.create("http://127.0.0.1:" + closedPort))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(100))).random(new Random(1))
                .build();
        long started = System.nanoTime();
        failure(client.getQueueUrl(REQUEST), ConnectException.class);
        // Two waits of up to 100 ms each happened; with a fixed seed they are not both zero.
        assertTrue(System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void aSlowAnswerTimesOutAfterTheRequestTimeout() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> new Answer(200, Map.of(), URL_BODY, 3_000))) {
            HttpQueueClient client = client(server).retryPolicy(RetryPolicy.none())
                    .requestTimeout(Duration.ofMillis(300)).build();
            long started = System.nanoTime();
            failure(client.getQueueUrl(REQUEST), HttpTimeoutException.class);
            assertTrue(System.nanoTime() - started < TimeUnit.MILLISECONDS.toNanos(2_500));
        }
    }

    @Test
    void atMostMaxConcurrentRequestsRunAtOnceAndTheRestWaitTheirTurn() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> new Answer(200, Map.of(), URL_BODY, 200))) {
            HttpQueueClient client = client(server).maxConcurrentRequests(2).build();
            CompletableFuture<?>[] calls = new CompletableFuture<?>[6];
            for (int i = 0; i < calls.length; i++) {
                calls[i] = client.getQueueUrl(REQUEST);
            }
            CompletableFuture.allOf(calls).get(20, TimeUnit.SECONDS);
            assertEquals(6, server.requests());
            assertEquals(2, server.maxConcurrent.get());
        }
    }

    @Test
    void withoutCredentialsRequestsAreUnsigned() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> Answer.ok(URL_BODY))) {
            client(server).build().getQueueUrl(REQUEST).get(10, TimeUnit.SECONDS);
            CannedHttpServer.Received received = server.received.peek();
            assertNull(received.header("Authorization"));
            assertEquals("AmazonSQS.GetQueueUrl", received.header("X-Amz-Target"));
            assertEquals("application/x-amz-json-1.0", received.header("Content-Type"));
            assertEquals("{\"QueueName\":\"q\"}", new String(received.body()));
        }
    }

    /** The server side recomputes the signature of what it received with the AWS SDK's signer. */
    @Test
    void signedRequestsVerifyAgainstTheAwsSdkSignerOnTheServerSide() throws Exception {
        Instant now = Instant.parse("2026-11-24T01:30:00Z");
        AwsCredentials credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "tok");
        try (CannedHttpServer server = new CannedHttpServer(n -> Answer.ok(URL_BODY))) {
            client(server).region("eu-central-1").credentials(credentials).clock(() -> now).build()
                    .getQueueUrl(REQUEST).get(10, TimeUnit.SECONDS);
            CannedHttpServer.Received received = server.received.peek();
            String authorization = received.header("Authorization");
            assertNotNull(authorization);
            assertEquals("tok", received.header("X-Amz-Security-Token"));

            SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                    .uri(URI.create("http://" + received.header("Host") + received.path()));
            Map<String, String> signedHeaders = new LinkedHashMap<>();
            for (String name : authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1").split(";")) {
                if (!name.equals("host") && !name.equals("x-amz-date") && !name.equals("x-amz-security-token")
                        && !name.equals("x-amz-content-sha256")) {
                    signedHeaders.put(name, received.header(name));
                }
            }
            signedHeaders.forEach(request::putHeader);
            String expected = AwsV4HttpSigner.create().sign(r -> r
                    .identity(software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity.create(
                            credentials.accessKeyId(), credentials.secretAccessKey(), "tok"))
                    .request(request.build())
                    .payload(ContentStreamProvider.fromByteArray(received.body()))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sqs")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-central-1")
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
                    .request().firstMatchingHeader("Authorization").orElseThrow();
            assertEquals(expected, authorization);
            assertTrue(authorization.contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target"),
                    authorization);
        }
    }

    @Test
    void fullJitterStaysUnderTheExponentialCap() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1_000));
        Random random = new Random(42);
        long[] largest = new long[6];
        for (int i = 0; i < 2_000; i++) {
            for (int retry = 1; retry <= 5; retry++) {
                long wait = policy.delayBefore(retry, random).toMillis();
                assertTrue(wait >= 0 && wait <= Math.min(1_000, 100L << (retry - 1)), retry + ": " + wait);
                largest[retry] = Math.max(largest[retry], wait);
            }
        }
        assertTrue(largest[1] > 90 && largest[3] > 390 && largest[5] > 950, java.util.Arrays.toString(largest));
    }

    @Test
    void anEndpointIsRequired() {
        assertThrows(IllegalStateException.class, () -> HttpQueueClient.builder().build());
    }

    private static <T extends Throwable> T failure(CompletableFuture<?> future, Class<T> type) throws Exception {
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> future.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(type, thrown.getCause());
    }

}
