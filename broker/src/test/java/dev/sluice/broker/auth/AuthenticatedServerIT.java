package dev.sluice.broker.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.sns.WebhookEndpoint;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.SnsException;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.TopicClient;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import dev.sluice.clientsdk.filter.CidrBlock;
import dev.sluice.clientsdk.http.FunctionClient;
import dev.sluice.clientsdk.http.HttpQueueClient;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkGlobalTime;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A server started with access keys (on loopback, which the config allows): every protocol demands a valid
 * SigV4 signature and answers the AWS common errors the SDKs surface; the exempt routes and the subscription
 * links work without one; a topic Policy's Deny refuses with AuthorizationError.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AuthenticatedServerIT {
    private static final String KEY = "AKIDSLUICEOPS";
    private static final String SECRET = "ops-secret-1234";
    private static final String OTHER_KEY = "AKIDSLUICEAPP";
    private static final String OTHER_SECRET = "app-secret-5678";
    private static final String OPERATOR_KEY = "AKIDSLUICEADMIN";
    private static final String OPERATOR_SECRET = "ops-secret-9012";
    /** What the operator's Prometheus sends to read /metrics (auth.metricsToken). */
    private static final String METRICS_TOKEN = "prometheus-scrape-token-0123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path data;
    static SqsTestServer server;
    static URI endpoint;

    @BeforeAll
    static void start() throws Exception {
        server = SqsTestServer.start(data, config -> config
                .withAuth(new SluiceConfig.Auth(List.of(new SluiceConfig.AccessKey(KEY, SECRET),
                        new SluiceConfig.AccessKey(OTHER_KEY, OTHER_SECRET),
                        new SluiceConfig.AccessKey(OPERATOR_KEY, OPERATOR_SECRET, true)), java.util.Optional.empty(),
                        java.util.Optional.of(METRICS_TOKEN)))
                .withNotifications(new SluiceConfig.Notify(List.of(CidrBlock.parse("127.0.0.1/32")))));
        endpoint = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static AwsCredentialsProvider keys(String id, String secret) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret));
    }

    private static SqsClient sqs(AwsCredentialsProvider credentials) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    private static SnsClient sns(AwsCredentialsProvider credentials) {
        return SnsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(config -> config.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    private static AwsServiceException refused(Runnable call, String code, int status) {
        AwsServiceException failure = assertThrows(AwsServiceException.class, call::run);
        assertEquals(code, failure.awsErrorDetails().errorCode(), failure.getMessage());
        assertEquals(status, failure.statusCode(), failure.getMessage());
        return failure;
    }

    /** Runs {@code call} with the SDK clients it builds signing 20 minutes behind the server's clock. */
    private static void signingTwentyMinutesLate(Runnable call) {
        SdkGlobalTime.setGlobalTimeOffset(20 * 60);
        try {
            call.run();
        } finally {
            SdkGlobalTime.setGlobalTimeOffset(0);
        }
    }

    @Test
    void theSqsJsonProtocolAcceptsTheRightKeyAndRefusesEveryOtherCaller() {
        try (SqsClient ops = sqs(keys(KEY, SECRET)); SqsClient wrongSecret = sqs(keys(KEY, "not-the-secret"));
                SqsClient unknown = sqs(keys("AKIDNOBODY", SECRET)); SqsClient anonymous = sqs(AnonymousCredentialsProvider.create())) {
            String url = ops.createQueue(b -> b.queueName("auth-json")).queueUrl();
            ops.sendMessage(b -> b.queueUrl(url).messageBody("signed"));
            assertEquals("signed", ops.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages().get(0).body());

            refused(() -> wrongSecret.sendMessage(b -> b.queueUrl(url).messageBody("x")), "SignatureDoesNotMatch", 403);
            refused(() -> unknown.listQueues(), "InvalidClientTokenId", 403);
            refused(() -> anonymous.listQueues(), "MissingAuthenticationToken", 403);
            signingTwentyMinutesLate(() -> {
                try (SqsClient late = sqs(keys(KEY, SECRET))) {
                    AwsServiceException expired = refused(() -> late.listQueues(), "SignatureDoesNotMatch", 403);
                    assertTrue(expired.awsErrorDetails().errorMessage().startsWith("Signature expired: "),
                            expired.getMessage());
                }
            });
        }
    }

    @Test
    void theSnsProtocolAcceptsTheRightKeyAndRefusesEveryOtherCaller() {
        try (SnsClient ops = sns(keys(KEY, SECRET)); SnsClient wrongSecret = sns(keys(KEY, "not-the-secret"));
                SnsClient unknown = sns(keys("AKIDNOBODY", SECRET)); SnsClient anonymous = sns(AnonymousCredentialsProvider.create())) {
            String topic = ops.createTopic(b -> b.name("auth-sns")).topicArn();
            ops.publish(b -> b.topicArn(topic).message("signed"));

            refused(() -> wrongSecret.publish(b -> b.topicArn(topic).message("x")), "SignatureDoesNotMatch", 403);
            refused(() -> unknown.listTopics(), "InvalidClientTokenId", 403);
            refused(() -> anonymous.listTopics(), "MissingAuthenticationToken", 403);
            signingTwentyMinutesLate(() -> {
                try (SnsClient late = sns(keys(KEY, SECRET))) {
                    refused(() -> late.listTopics(), "SignatureDoesNotMatch", 403);
                }
            });
        }
    }

    private static HttpResponse<String> send(String method, URI uri, Map<String, String> headers, String body,
            AwsCredentials credentials, String service) throws Exception {
        Map<String, String> all = new TreeMap<>(headers);
        if (credentials != null) {
            all.putAll(new SigV4Signer(service, "us-east-1").sign(method, uri, headers,
                    body.getBytes(StandardCharsets.UTF_8), credentials, Instant.now()).headers());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofString(body));
        all.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theSqsQueryProtocolTakesASignedFormAndAnswersAnUnsignedOneWithItsXmlError() throws Exception {
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        String body = "Action=ListQueues&Version=2012-11-05";
        HttpResponse<String> signed = send("POST", endpoint.resolve("/"), form, body, AwsCredentials.of(KEY, SECRET), "sqs");
        assertEquals(200, signed.statusCode(), signed.body());
        assertTrue(signed.body().contains("<ListQueuesResponse"), signed.body());

        HttpResponse<String> unsigned = send("POST", endpoint.resolve("/"), form, body, null, "sqs");
        assertEquals(403, unsigned.statusCode());
        assertTrue(unsigned.body().contains("<Type>Sender</Type><Code>MissingAuthenticationToken</Code>"), unsigned.body());

        HttpResponse<String> wrong = send("POST", endpoint.resolve("/"), form, body, AwsCredentials.of(KEY, "nope-nope"), "sqs");
        assertEquals(403, wrong.statusCode());
        assertTrue(wrong.body().contains("<Code>SignatureDoesNotMatch</Code>"), wrong.body());
        assertTrue(wrong.body().startsWith("<?xml") || wrong.body().contains("<ErrorResponse"), wrong.body());
    }

    @Test
    void theSqsQueryProtocolOfTheSdkV1SignsAndIsRefusedWithAWrongSecret() {
        com.amazonaws.services.sqs.AmazonSQS good = queryClient(KEY, SECRET);
        com.amazonaws.services.sqs.AmazonSQS bad = queryClient(KEY, "not-the-secret");
        try {
            String url = good.createQueue("auth-query").getQueueUrl();
            good.sendMessage(url, "over query");
            com.amazonaws.AmazonServiceException failure = assertThrows(com.amazonaws.AmazonServiceException.class,
                    () -> bad.sendMessage(url, "x"));
            assertEquals("SignatureDoesNotMatch", failure.getErrorCode());
            assertEquals(403, failure.getStatusCode());
        } finally {
            good.shutdown();
            bad.shutdown();
        }
    }

    private static com.amazonaws.services.sqs.AmazonSQS queryClient(String id, String secret) {
        return com.amazonaws.services.sqs.AmazonSQSClientBuilder.standard()
                .withEndpointConfiguration(new com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration(
                        endpoint.toString(), "us-east-1"))
                .withClientConfiguration(new com.amazonaws.ClientConfiguration().withMaxErrorRetry(0))
                .withCredentials(new com.amazonaws.auth.AWSStaticCredentialsProvider(
                        new com.amazonaws.auth.BasicAWSCredentials(id, secret))).build();
    }

    @Test
    void http2RequestsAreVerifiedWithTheirAuthorityAsHost() throws Exception {
        HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        URI uri = endpoint.resolve("/v1/queues");
        for (int i = 0; i < 3; i++) {
            Map<String, String> headers = new SigV4Signer("sqs", "us-east-1").sign("GET", uri, Map.of(), new byte[0],
                    AwsCredentials.of(KEY, SECRET), Instant.now()).headers();
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            headers.forEach(request::header);
            HttpResponse<String> answer = http2.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.version() + " " + answer.body());
            if (i > 0) {
                // After the h2c upgrade of the first request, requests carry :authority and no Host header.
                assertEquals(HttpClient.Version.HTTP_2, answer.version());
            }
        }
    }

    @Test
    void theRestApiWantsASignatureAndAnswersWithoutOneInItsJsonShape() throws Exception {
        HttpResponse<String> signed = send("PUT", endpoint.resolve("/v1/queues/auth-rest"), Map.of(), "{}",
                AwsCredentials.of(KEY, SECRET), "sqs");
        assertEquals(200, signed.statusCode(), signed.body());

        HttpResponse<String> unsigned = send("GET", endpoint.resolve("/v1/queues/auth-rest"), Map.of(), "", null, "sqs");
        assertEquals(403, unsigned.statusCode());
        JsonNode error = JSON.readTree(unsigned.body());
        assertEquals("MissingAuthenticationToken", error.get("code").asText());
        assertTrue(error.hasNonNull("requestId"));
    }

    @Test
    void theSdksHttpClientsSignWithCredentialsAndAreRefusedWithout() {
        HttpQueueClient signed = HttpQueueClient.builder().endpoint(endpoint).region("us-east-1")
                .credentials(AwsCredentials.of(KEY, SECRET)).build();
        HttpQueueClient unsigned = HttpQueueClient.builder().endpoint(endpoint).region("us-east-1").build();
        {
            assertTrue(signed.createQueue(new CreateQueueRequest("auth-sdk", null, null)).join().queueUrl()
                    .endsWith("/auth-sdk"));
            CompletionException failure = assertThrows(CompletionException.class,
                    () -> unsigned.createQueue(new CreateQueueRequest("auth-sdk", null, null)).join());
            assertEquals(SqsError.MISSING_AUTHENTICATION_TOKEN, ((SqsException) failure.getCause()).error());
        }
        TopicClient topics = new TopicClient(endpoint, "us-east-1", AwsCredentials.of(KEY, SECRET), HTTP,
                java.time.InstantSource.system());
        TopicClient wrongTopics = new TopicClient(endpoint, "us-east-1", AwsCredentials.of(KEY, "not-the-secret"), HTTP,
                java.time.InstantSource.system());
        assertTrue(topics.createTopic("auth-topic-client", Map.of()).join().endsWith(":auth-topic-client"));
        CompletionException topicFailure = assertThrows(CompletionException.class,
                () -> wrongTopics.createTopic("auth-topic-client", Map.of()).join());
        assertEquals(SnsError.SIGNATURE_DOES_NOT_MATCH, ((SnsException) topicFailure.getCause()).error());

        FunctionClient functions = FunctionClient.builder().endpoint(endpoint).region("us-east-1")
                .credentials(AwsCredentials.of(KEY, SECRET)).build();
        FunctionClient anonymousFunctions = FunctionClient.builder().endpoint(endpoint).region("us-east-1").build();
        assertEquals(List.of(), functions.listFunctions().join());
        CompletionException refused = assertThrows(CompletionException.class,
                () -> anonymousFunctions.listFunctions().join());
        assertTrue(refused.getCause().getMessage().contains("MissingAuthenticationToken")
                || refused.getCause().toString().contains("MissingAuthenticationToken"), refused.getCause().toString());
    }

    @Test
    void aPresignedUrlWorksUntilItExpires() throws Exception {
        SigV4Signer signer = new SigV4Signer("sqs", "us-east-1");
        URI url = signer.presign("GET", endpoint.resolve("/?Action=ListQueues&Version=2012-11-05"),
                AwsCredentials.of(KEY, SECRET), Instant.now(), Duration.ofMinutes(5));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("<ListQueuesResponse"), answer.body());

        URI expired = signer.presign("GET", endpoint.resolve("/?Action=ListQueues&Version=2012-11-05"),
                AwsCredentials.of(KEY, SECRET), Instant.now().minusSeconds(120), Duration.ofSeconds(60));
        HttpResponse<String> late = HTTP.send(HttpRequest.newBuilder(expired).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, late.statusCode(), late.body());
        assertTrue(late.body().contains("<Code>RequestExpired</Code>"), late.body());
    }

    /**
     * The attack: any caller who reaches the port read /metrics, which names every account's queues and topics and bills
     * (sluice_usage_*{account=...}). With auth on it takes the scrape token or an operator's signature.
     */
    @Test
    void metricsNeedTheScrapeTokenOrAnOperatorsSignatureNotATenantsKeyOrNothing() throws Exception {
        try (SqsClient tenant = sqs(keys(KEY, SECRET))) {
            tenant.createQueue(b -> b.queueName("auth-metrics-named"));
        }
        SigV4Signer signer = new SigV4Signer("sqs", "us-east-1");
        for (String path : List.of("/metrics", "/metrics/notifications?topic=auth-counted")) {
            HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, unsigned.statusCode(), path + " " + unsigned.body());
            assertTrue(unsigned.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), path);
            assertFalse(unsigned.body().contains("auth-metrics-named"), unsigned.body());

            HttpResponse<String> wrongToken = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .header("Authorization", "Bearer " + METRICS_TOKEN + "x").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, wrongToken.statusCode(), path);

            URI byTenant = signer.presign("GET", endpoint.resolve(path), AwsCredentials.of(KEY, SECRET), Instant.now(),
                    Duration.ofSeconds(60));
            HttpResponse<String> tenantRead = HTTP.send(HttpRequest.newBuilder(byTenant).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, tenantRead.statusCode(), path + " signed by a tenant's key");
            assertFalse(tenantRead.body().contains("auth-metrics-named"), tenantRead.body());
        }
        HttpResponse<String> scraped = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/metrics"))
                .header("Authorization", "Bearer " + METRICS_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scraped.statusCode());
        assertTrue(scraped.body().contains("# HELP"), scraped.body());
        URI byOperator = signer.presign("GET", endpoint.resolve("/metrics"), AwsCredentials.of(OPERATOR_KEY, OPERATOR_SECRET),
                Instant.now(), Duration.ofSeconds(60));
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(byOperator).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
    }

    /** The console of another node sums a topic's counts over the nodes: it asks with the peer key, or the scrape token. */
    @Test
    void aTopicsCountsOnThisNodeAreReadWithTheScrapeToken() throws Exception {
        try (SnsClient ops = sns(keys(KEY, SECRET))) {
            String topic = ops.createTopic(b -> b.name("auth-counted")).topicArn();
            ops.publish(b -> b.topicArn(topic).message("counted"));
        }
        HttpResponse<String> counts = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(
                "/metrics/notifications?topic=auth-counted")).header("Authorization", "Bearer " + METRICS_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, counts.statusCode(), counts.body());
        assertEquals(1, new ObjectMapper().readTree(counts.body()).get("PUBLISHED").get("").asLong(), counts.body());
        HttpResponse<String> unnamed = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/metrics/notifications"))
                .header("Authorization", "Bearer " + METRICS_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unnamed.statusCode());
    }

    @Test
    void healthTheCertificateAndTheSubscriptionLinksNeedNoSignature() throws Exception {
        for (String path : List.of("/health", "/health/live")) {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 503, path + " " + answer.statusCode());
        }
        try (SnsClient ops = sns(keys(KEY, SECRET));
                WebhookEndpoint hook = new WebhookEndpoint(delivery -> 200)) {
            String topic = ops.createTopic(b -> b.name("auth-links")).topicArn();
            ops.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(hook.url("/hook")));
            WebhookEndpoint.Delivery confirmation = hook.await(d -> d.body().contains("SubscriptionConfirmation"), 1, 15)
                    .get(0);
            JsonNode envelope = JSON.readTree(confirmation.body());
            HttpResponse<String> certificate = HTTP.send(HttpRequest.newBuilder(
                    URI.create(envelope.get("SigningCertURL").asText())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, certificate.statusCode());
            assertTrue(certificate.body().startsWith("-----BEGIN CERTIFICATE-----"));

            HttpResponse<String> confirmed = HTTP.send(HttpRequest.newBuilder(
                    URI.create(envelope.get("SubscribeURL").asText())).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, confirmed.statusCode(), confirmed.body());
            String subscription = ops.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().get(0)
                    .subscriptionArn();
            assertEquals("false", ops.getSubscriptionAttributes(b -> b.subscriptionArn(subscription)).attributes()
                    .get("PendingConfirmation"));

            ops.publish(b -> b.topicArn(topic).message("to unsubscribe"));
            WebhookEndpoint.Delivery notification = hook.await(d -> d.body().contains("to unsubscribe"), 1, 15).get(0);
            HttpResponse<String> unsubscribed = HTTP.send(HttpRequest.newBuilder(URI.create(
                    JSON.readTree(notification.body()).get("UnsubscribeURL").asText())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, unsubscribed.statusCode(), unsubscribed.body());
            assertEquals(List.of(), ops.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions());
        }
        // Other SNS actions over the same GET form still need a signature.
        HttpResponse<String> listTopics = HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/?Action=ListTopics"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, listTopics.statusCode());
        assertTrue(listTopics.body().contains("<Code>MissingAuthenticationToken</Code>"), listTopics.body());
    }

    @Test
    void theLinkExemptionCoversOnlyABareGetSoNoOtherActionRidesOnIt() throws Exception {
        try (SqsClient ops = sqs(keys(KEY, SECRET))) {
            String queueUrl = ops.createQueue(b -> b.queueName("auth-link-rider")).queueUrl();
            // An SQS JSON call in the body of a "subscription link": the target header decides the action.
            HttpResponse<String> json = send("GET", endpoint.resolve("/?Action=ConfirmSubscription"),
                    Map.of("X-Amz-Target", "AmazonSQS.DeleteQueue", "Content-Type", "application/x-amz-json-1.0"),
                    "{\"QueueUrl\":\"" + queueUrl + "\"}", null, "sqs");
            assertEquals(403, json.statusCode(), json.body());
            assertTrue(json.body().contains("MissingAuthenticationToken"), json.body());
            // A body beside the link's query string (SQS Query reads parameters from any body), a second Action.
            HttpResponse<String> form = send("GET", endpoint.resolve("/?Action=Unsubscribe"),
                    Map.of("Content-Type", "text/plain"),
                    "Action=DeleteQueue&QueueUrl=" + queueUrl, null, "sqs");
            assertEquals(403, form.statusCode(), form.body());
            HttpResponse<String> twice = send("GET", endpoint.resolve("/?Action=Unsubscribe&Action=ListTopics"),
                    Map.of(), "", null, "sns");
            assertEquals(403, twice.statusCode(), twice.body());
            // The second Action spelt with an escape is the same parameter to the routes, so no bare link either.
            HttpResponse<String> spelt = send("GET", URI.create(endpoint + "/?Action=ConfirmSubscription&%41ction=ListTopics"),
                    Map.of(), "", null, "sns");
            assertEquals(403, spelt.statusCode(), spelt.body());
            assertTrue(spelt.body().contains("<Code>MissingAuthenticationToken</Code>"), spelt.body());
            // Paths the router normalises to / (or to an exempt path) and a POSTed link are not bare links.
            String arn = "&SubscriptionArn=arn:aws:sns:us-east-1:000000000000:t:" + java.util.UUID.randomUUID();
            for (String path : List.of("//?Action=Unsubscribe" + arn, "/./?Action=Unsubscribe" + arn,
                    "/health/../?Action=Unsubscribe" + arn, "/health/..?Action=ListTopics", "/metrics/../?Action=ListTopics")) {
                HttpResponse<String> tricked = send("GET", URI.create(endpoint + path), Map.of(), "", null, "sns");
                assertEquals(403, tricked.statusCode(), path + " " + tricked.body());
                assertTrue(tricked.body().contains("<Code>MissingAuthenticationToken</Code>"), path + " " + tricked.body());
            }
            HttpResponse<String> posted = send("POST", endpoint.resolve("/"),
                    Map.of("Content-Type", "application/x-www-form-urlencoded"), "Action=Unsubscribe" + arn, null, "sns");
            assertEquals(403, posted.statusCode(), posted.body());
            assertTrue(posted.body().contains("<Code>MissingAuthenticationToken</Code>"), posted.body());
            assertEquals(queueUrl, ops.getQueueUrl(b -> b.queueName("auth-link-rider")).queueUrl());
        }
    }

    @Test
    void anUnsignedUnsubscribeNeedsTheTokenOfItsUnsubscribeUrl() throws Exception {
        try (SnsClient ops = sns(keys(KEY, SECRET));
                WebhookEndpoint hook = new WebhookEndpoint(delivery -> 200)) {
            String topic = ops.createTopic(b -> b.name("auth-unsubscribe")).topicArn();
            String subscription = ops.subscribe(b -> b.topicArn(topic).protocol("http").endpoint(hook.url("/u"))
                    .returnSubscriptionArn(true)).subscriptionArn();
            String confirm = JSON.readTree(hook.await(d -> d.body().contains("SubscriptionConfirmation"), 1, 15).get(0)
                    .body()).get("SubscribeURL").asText();
            assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(confirm)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            ops.publish(b -> b.topicArn(topic).message("carries the link"));
            String link = JSON.readTree(hook.await(d -> d.body().contains("carries the link"), 1, 15).get(0).body())
                    .get("UnsubscribeURL").asText();

            String bare = "/?Action=Unsubscribe&SubscriptionArn=" + java.net.URLEncoder.encode(subscription,
                    StandardCharsets.UTF_8);
            for (String guess : List.of(bare, bare + "&Token=00", bare + "&Token=")) {
                HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(endpoint.resolve(guess)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, refused.statusCode(), guess + " " + refused.body());
                assertTrue(refused.body().contains("<Code>AuthorizationError</Code>"), refused.body());
            }
            assertEquals(1, ops.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().size());

            HttpResponse<String> followed = HTTP.send(HttpRequest.newBuilder(URI.create(link)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, followed.statusCode(), followed.body());
            assertEquals(List.of(), ops.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions());
        }
    }

    @Test
    void anSqsSubscriptionIsUnsubscribedOnlyBySignedRequests() throws Exception {
        try (SnsClient ops = sns(keys(KEY, SECRET)); SqsClient queues = sqs(keys(KEY, SECRET))) {
            String topic = ops.createTopic(b -> b.name("auth-unsubscribe-sqs")).topicArn();
            String queueUrl = queues.createQueue(b -> b.queueName("auth-unsubscribe-sqs")).queueUrl();
            String queueArn = queues.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                    .attributesAsStrings().get("QueueArn");
            String subscription = ops.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(queueArn)
                    .returnSubscriptionArn(true)).subscriptionArn();
            ops.publish(b -> b.topicArn(topic).message("carries the link"));
            String link = JSON.readTree(queues.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(10))
                    .messages().get(0).body()).get("UnsubscribeURL").asText();

            // Its own link, token and all: SNS authenticates every deletion of an SQS subscription.
            HttpResponse<String> followed = HTTP.send(HttpRequest.newBuilder(URI.create(link)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, followed.statusCode(), followed.body());
            assertTrue(followed.body().contains("<Code>AuthorizationError</Code>"), followed.body());
            assertEquals(1, ops.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions().size());

            ops.unsubscribe(b -> b.subscriptionArn(subscription));
            assertEquals(List.of(), ops.listSubscriptionsByTopic(b -> b.topicArn(topic)).subscriptions());
        }
    }

    @Test
    void aPolicyDenyHoldsWhateverRegionOrAccountTheCallersTopicArnNames() {
        try (SnsClient ops = sns(keys(KEY, SECRET)); SnsClient app = sns(keys(OTHER_KEY, OTHER_SECRET))) {
            String topic = ops.createTopic(b -> b.name("auth-policy-arn")).topicArn();
            ops.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy")
                    .attributeValue(denyPublishTo("arn:aws:iam::000000000000:user/" + OTHER_KEY, topic)));
            String[] parts = topic.split(":");
            for (String alias : List.of(String.join(":", parts[0], parts[1], parts[2], "eu-west-3", parts[4], parts[5]),
                    String.join(":", parts[0], parts[1], parts[2], parts[3], "999999999999", parts[5]),
                    String.join(":", parts[0], "aws-cn", parts[2], parts[3], parts[4], parts[5]))) {
                try {
                    app.publish(b -> b.topicArn(alias).message("around the deny"));
                    throw new AssertionError("published through " + alias);
                } catch (AwsServiceException e) {
                    assertEquals(403, e.statusCode(), alias + ": " + e.getMessage());
                }
            }
        }
    }

    private static String denyPublishTo(String principal, String topicArn) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"no-app-publish\",\"Effect\":\"Deny\","
                + "\"Principal\":{\"AWS\":\"" + principal + "\"},\"Action\":\"sns:Publish\",\"Resource\":\"" + topicArn
                + "\"}]}";
    }

    @Test
    void aPolicyDenyOnPublishRefusesThatCallerWithAuthorizationErrorAndNothingElse() throws Exception {
        try (SnsClient ops = sns(keys(KEY, SECRET)); SnsClient app = sns(keys(OTHER_KEY, OTHER_SECRET))) {
            String topic = ops.createTopic(b -> b.name("auth-policy")).topicArn();
            ops.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy")
                    .attributeValue(denyPublishTo("arn:aws:iam::000000000000:user/" + OTHER_KEY, topic)));

            AwsServiceException denied = refused(() -> app.publish(b -> b.topicArn(topic).message("x")),
                    "AuthorizationError", 403);
            assertTrue(denied.awsErrorDetails().errorMessage().startsWith("User: arn:aws:iam::000000000000:user/"
                    + OTHER_KEY + " is not authorized to perform: SNS:Publish on resource: " + topic), denied.getMessage());
            assertEquals(topic, app.getTopicAttributes(b -> b.topicArn(topic)).attributes().get("TopicArn"));
            ops.publish(b -> b.topicArn(topic).message("ops may"));

            HttpResponse<String> rest = send("POST", endpoint.resolve("/v1/topics/auth-policy/messages"), Map.of(),
                    "over rest", AwsCredentials.of(OTHER_KEY, OTHER_SECRET), "sns");
            assertEquals(403, rest.statusCode(), rest.body());
            assertEquals("AuthorizationError", JSON.readTree(rest.body()).get("code").asText());
        }
    }

    @Test
    void aPolicyWhoseDenyCannotBeEvaluatedIsRefusedAsAnInvalidParameter() {
        try (SnsClient ops = sns(keys(KEY, SECRET))) {
            String topic = ops.createTopic(b -> b.name("auth-bad-policy")).topicArn();
            String unsupported = "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"sns:Publish\","
                    + "\"Resource\":\"" + topic + "\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/team\":\"x\"}}}]}";
            refused(() -> ops.setTopicAttributes(b -> b.topicArn(topic).attributeName("Policy").attributeValue(unsupported)),
                    "InvalidParameter", 400);
            Map<String, String> attributes = new HashMap<>(Map.of("Policy", unsupported));
            refused(() -> ops.createTopic(b -> b.name("auth-bad-policy-2").attributes(attributes)), "InvalidParameter", 400);
            ops.publish(b -> b.topicArn(topic).message("still allowed"));
        }
    }
}
