package dev.sluice.clientsdk.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.LambdaError;
import dev.sluice.clientsdk.LambdaException;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.http.CannedHttpServer.Answer;
import dev.sluice.clientsdk.lambda.FunctionRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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

/** The functions client's wire rules (body, errors, retries, signing) against a real HTTP server that answers as scripted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FunctionClientTest {
    private static final String FUNCTION = "{\"FunctionName\":\"fn\",\"FunctionArn\":\"arn:aws:lambda:us-east-1:000000000000:function:fn\","
            + "\"InvokeUrl\":\"http://h/\",\"Timeout\":7,\"LastModified\":\"2026-11-24T01:30:00Z\",\"Later\":1}";

    private static HttpQueueClientBuilder<FunctionClient> client(CannedHttpServer server) {
        return FunctionClient.builder().endpoint(server.uri()).random(new Random(7))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20)));
    }

    private static Answer error(int status, String code) {
        return new Answer(status, Map.of(), "{\"code\":\"" + code + "\",\"message\":\"canned\",\"requestId\":\"r-1\"}", 0);
    }

    private static LambdaException failure(CompletableFuture<?> call) {
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> call.get(20, TimeUnit.SECONDS));
        return assertInstanceOf(LambdaException.class, thrown.getCause());
    }

    @Test
    void anUpdateSendsOnlyTheGivenFieldsAndReadsTheAnswer() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> Answer.ok(FUNCTION))) {
            var updated = client(server).build().updateFunction("fn", new FunctionRequest(null, null, null, 7, null))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(7, updated.timeout());
            assertEquals("http://h/", updated.invokeUrl());
            assertNull(updated.reservedConcurrentExecutions());
            CannedHttpServer.Received received = server.received.peek();
            assertEquals("PUT", received.method());
            assertEquals("/v1/functions/fn", received.path());
            assertEquals("{\"Timeout\":7}", new String(received.body(), StandardCharsets.UTF_8), "null fields are not sent");
            assertEquals("application/json", received.header("Content-Type"));
        }
    }

    @Test
    void errorsCarryTheirLambdaCodeAndAreNotTriedAgain() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> error(400, "InvalidRequestContentException"))) {
            LambdaException error = failure(client(server).build().getFunction("fn"));
            assertEquals(LambdaError.INVALID_REQUEST_CONTENT, error.error());
            assertEquals("r-1", error.requestId());
            assertEquals("InvalidRequestContentException: canned", error.getMessage());
            assertEquals(1, server.requests());
        }
    }

    @Test
    void anUnknownCodeMapsByStatusAndKeepsTheCode() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> error(403, "AccessDeniedException"))) {
            LambdaException error = failure(client(server).build().listFunctions());
            assertEquals(LambdaError.INVALID_PARAMETER_VALUE, error.error());
            assertTrue(error.getMessage().contains("AccessDeniedException: canned"), error.getMessage());
        }
    }

    @Test
    void serverErrorsAndThrottlingAreTriedAgain() throws Exception {
        try (CannedHttpServer server = new CannedHttpServer(n -> n == 0 ? error(500, "ServiceException")
                : n == 1 ? error(429, "TooManyRequestsException") : Answer.ok(FUNCTION))) {
            assertEquals("fn", client(server).build().getFunction("fn").get(10, TimeUnit.SECONDS).functionName());
            assertEquals(3, server.requests());
        }
        try (CannedHttpServer server = new CannedHttpServer(n -> error(429, "TooManyRequestsException"))) {
            assertEquals(LambdaError.TOO_MANY_REQUESTS, failure(client(server).build().getFunction("fn")).error());
            assertEquals(3, server.requests(), "at most maxAttempts tries");
        }
    }

    /** The server side recomputes the signature of what it received with the AWS SDK's signer, service lambda. */
    @Test
    void signedRequestsVerifyAgainstTheAwsSdkSigner() throws Exception {
        Instant now = Instant.parse("2026-11-24T01:30:00Z");
        AwsCredentials credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
        try (CannedHttpServer server = new CannedHttpServer(n -> Answer.ok(FUNCTION))) {
            client(server).region("eu-central-1").credentials(credentials).clock(() -> now).build()
                    .createFunction(FunctionRequest.http("fn", "http://h/")).get(10, TimeUnit.SECONDS);
            CannedHttpServer.Received received = server.received.peek();
            String authorization = received.header("Authorization");
            assertTrue(authorization.contains("/eu-central-1/lambda/aws4_request"), authorization);
            SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                    .uri(URI.create("http://" + received.header("Host") + received.path()))
                    .putHeader("Content-Type", received.header("Content-Type")).build();
            String expected = AwsV4HttpSigner.create().sign(r -> r
                    .identity(software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(
                            credentials.accessKeyId(), credentials.secretAccessKey()))
                    .request(request)
                    .payload(ContentStreamProvider.fromByteArray(received.body()))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-central-1")
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
                    .request().firstMatchingHeader("Authorization").orElseThrow();
            assertEquals(expected, authorization);
        }
    }
}
