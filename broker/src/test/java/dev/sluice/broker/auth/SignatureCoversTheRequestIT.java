package dev.sluice.broker.auth;

import static dev.sluice.broker.hostile.AnswerChecks.Wire.JSON;
import static dev.sluice.broker.hostile.AnswerChecks.Wire.XML;
import static dev.sluice.broker.hostile.AnswerChecks.assertError;
import static dev.sluice.broker.hostile.AnswerChecks.assertSafe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.hostile.RawHttp;
import dev.sluice.broker.sqs.SqsTestServer;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4;
import dev.sluice.clientsdk.auth.SigV4Signer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a signature covers, tried by an attacker who holds one signed request (or presigned URL) and changes what
 * is sent around it: a body, a header the routes read, a parameter given twice, a broken escape. Every such change
 * is refused in the request's own protocol, and nothing it asked for happens. Also: a request that is not properly
 * signed gets the auth error whatever else is wrong with it (a form content type on a GET, a bad escape).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignatureCoversTheRequestIT {
    static final String KEY = "AKIDSCOPE";
    static final String SECRET = "scope-secret-1234";
    private static final Map.Entry<String, String> FORM = Map.entry("Content-Type", "application/x-www-form-urlencoded");
    private static final Map.Entry<String, String> AMZ_JSON = Map.entry("Content-Type", "application/x-amz-json-1.0");

    @TempDir
    static Path data;
    static KeyedServer keyed;
    static RawHttp raw;
    static RawSigner signer;
    static SqsClient sqs;
    static SqsTestServer server;

    @BeforeAll
    static void start() throws Exception {
        keyed = new KeyedServer(data, KEY, SECRET);
        raw = keyed.raw;
        signer = keyed.signer;
        sqs = keyed.sqs;
        server = keyed.server;
    }

    @AfterAll
    static void stop() {
        keyed.close();
    }

    static boolean queueExists(String name) {
        return keyed.queueExists(name);
    }

    static boolean topicExists(String name) {
        return keyed.topicExists(name);
    }

    private static List<Map.Entry<String, String>> with(List<Map.Entry<String, String>> headers,
            Map.Entry<String, String> extra) {
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        all.add(extra);
        return all;
    }

    @Test
    void aPresignedListQueuesCannotCarryAFormBodyThatCreatesAQueue() throws Exception {
        // The attack of issue 12: a URL presigned with UNSIGNED-PAYLOAD (as S3-style presigners do), sent with a body.
        String target = signer.presign("GET", "/", "Action=ListQueues&Version=2012-11-05", SigV4.UNSIGNED_PAYLOAD, "sqs",
                Instant.now());
        RawHttp.Answer honest = raw.send("GET", target, List.of(Map.entry("x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD)),
                "");
        assertEquals(200, honest.status(), honest.text());

        RawHttp.Answer attack = raw.send("GET", target, List.of(Map.entry("x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD),
                FORM), "Action=CreateQueue&QueueName=presigned-attack");
        assertError(attack, XML, 403, "SignatureDoesNotMatch", "presigned GET with a form body");
        RawHttp.Answer noType = raw.send("POST", target, List.of(Map.entry("x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD)),
                "Action=CreateQueue&QueueName=presigned-attack");
        assertError(noType, XML, 403, "SignatureDoesNotMatch", "presigned POST with a body");
        assertFalse(queueExists("presigned-attack"));
    }

    @Test
    void aPresignedUrlOfTheClientSdkIsRefusedWithABodyOrAnUnsignedHeaderTheRoutesRead() throws Exception {
        URI url = new SigV4Signer("sqs", RawSigner.REGION).presign("GET",
                URI.create("http://127.0.0.1:" + server.port() + "/?Action=ListQueues&Version=2012-11-05"),
                AwsCredentials.of(KEY, SECRET), Instant.now(), Duration.ofMinutes(5));
        String target = url.getRawPath() + "?" + url.getRawQuery();
        assertEquals(200, raw.send("GET", target, List.of(), "").status());

        assertError(raw.send("GET", target, List.of(FORM), "Action=CreateQueue&QueueName=presigned-sdk"), XML, 403,
                "SignatureDoesNotMatch", "presigned GET with a body");
        assertError(raw.send("GET", target, List.of(Map.entry("X-Amz-Target", "AmazonSQS.CreateQueue")), ""), JSON, 403,
                "SignatureDoesNotMatch", "presigned GET with an unsigned X-Amz-Target");
        // An unsigned JSON Content-Type without a signed target runs nothing.
        assertError(raw.send("GET", target, List.of(AMZ_JSON), ""), JSON, 400, "UnknownOperationException",
                "presigned GET with an unsigned Content-Type");
        assertFalse(queueExists("presigned-sdk"));
    }

    @Test
    void anUnsignedPayloadIsAcceptedOnlyWithoutABody() throws Exception {
        List<Map.Entry<String, String>> get = signer.headers("GET", "/", "Action=ListQueues&Version=2012-11-05", Map.of(),
                new byte[0], SigV4.UNSIGNED_PAYLOAD, "sqs", Instant.now());
        assertEquals(200, raw.send("GET", "/?Action=ListQueues&Version=2012-11-05", get, "").status());

        byte[] body = "Action=CreateQueue&QueueName=unsigned-body&Version=2012-11-05".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> post = signer.headers("POST", "/", null, Map.of("Content-Type", FORM.getValue()),
                body, SigV4.UNSIGNED_PAYLOAD, "sqs", Instant.now());
        assertError(raw.send("POST", "/", post, body), XML, 403, "SignatureDoesNotMatch", "UNSIGNED-PAYLOAD with a body");
        assertFalse(queueExists("unsigned-body"));
    }

    @Test
    void anUnsignedXAmzTargetCannotChooseTheActionOfASignedJsonRequest() throws Exception {
        byte[] body = "{\"QueueName\":\"target-attack\"}".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> signedTarget = signer.headers("POST", "/", null, Map.of("Content-Type",
                AMZ_JSON.getValue(), "X-Amz-Target", "AmazonSQS.GetQueueUrl"), body, null, "sqs", Instant.now());
        assertError(raw.send("POST", "/", signedTarget, body), JSON, 400, "QueueDoesNotExist", "signed GetQueueUrl");

        List<Map.Entry<String, String>> unsignedTarget = signer.headers("POST", "/", null,
                Map.of("Content-Type", AMZ_JSON.getValue()), body, null, "sqs", Instant.now());
        assertError(raw.send("POST", "/", with(unsignedTarget, Map.entry("X-Amz-Target", "AmazonSQS.CreateQueue")), body),
                JSON, 403, "SignatureDoesNotMatch", "unsigned X-Amz-Target");
        assertFalse(queueExists("target-attack"));
    }

    @Test
    void anUnsignedContentTypeCannotChangeWhatASignedRequestDoes() throws Exception {
        // The AWS SDK for Java v1 does not sign Content-Type, so it may change; what runs must not.
        byte[] body = "Action=CreateQueue&QueueName=typed-attack&Version=2012-11-05".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = signer.headers("POST", "/", null, Map.of(), body, null, "sqs",
                Instant.now());
        assertError(raw.send("POST", "/", with(headers, AMZ_JSON), body), JSON, 400, "UnknownOperationException",
                "a signed Query body sent as JSON");
        assertFalse(queueExists("typed-attack"));

        byte[] topic = "Action=CreateTopic&Name=typed-topic&Version=2010-03-31".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> snsHeaders = signer.headers("POST", "/", null, Map.of(), topic, null, "sns",
                Instant.now());
        RawHttp.Answer asText = raw.send("POST", "/", with(snsHeaders, Map.entry("Content-Type", "text/plain")), topic);
        assertEquals(200, asText.status(), asText.text());
        assertTrue(topicExists("typed-topic"), "the signed CreateTopic, read whatever the body's type");
    }

    @Test
    void aParameterInBothTheQueryStringAndTheBodyIsRefusedEvenWhenBothAreSigned() throws Exception {
        byte[] body = "Action=CreateQueue&QueueName=twice-attack".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = signer.headers("POST", "/", "Action=ListQueues&Version=2012-11-05",
                Map.of("Content-Type", FORM.getValue()), body, null, "sqs", Instant.now());
        assertError(raw.send("POST", "/?Action=ListQueues&Version=2012-11-05", headers, body), XML, 400,
                "InvalidQueryParameter", "Action in the query string and the body");
        assertFalse(queueExists("twice-attack"));

        byte[] repeated = "Action=ListQueues&Action=CreateQueue&QueueName=twice-attack".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> inBody = signer.headers("POST", "/", null, Map.of("Content-Type", FORM.getValue()),
                repeated, null, "sqs", Instant.now());
        assertError(raw.send("POST", "/", inBody, repeated), XML, 400, "InvalidQueryParameter", "Action twice in the body");
        assertFalse(queueExists("twice-attack"));

        byte[] topic = "Action=CreateTopic&Name=twice-topic".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> snsHeaders = signer.headers("POST", "/", "Action=ListTopics&Version=2010-03-31",
                Map.of("Content-Type", FORM.getValue()), topic, null, "sns", Instant.now());
        RawHttp.Answer answer = raw.send("POST", "/?Action=ListTopics&Version=2010-03-31", snsHeaders, topic);
        assertSafe(answer, XML, "SNS Action in the query string and the body");
        assertEquals(400, answer.status(), answer.text());
        assertFalse(topicExists("twice-topic"));
    }

    @Test
    void anUnsignedSluiceHeaderCannotAddToASignedRestSend() throws Exception {
        sqs.createQueue(request -> request.queueName("rest-scope"));
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = signer.headers("POST", "/v1/queues/rest-scope/messages", null,
                Map.of("Content-Type", "text/plain"), body, null, "sqs", Instant.now());
        assertEquals(200, raw.send("POST", "/v1/queues/rest-scope/messages", headers, body).status());
        assertError(raw.send("POST", "/v1/queues/rest-scope/messages",
                with(headers, Map.entry("Sluice-Attribute-Forged", "yes")), body), JSON, 403, "SignatureDoesNotMatch",
                "unsigned Sluice-Attribute header");
        assertError(raw.send("POST", "/v1/queues/rest-scope/messages",
                with(headers, Map.entry("Sluice-Delay-Seconds", "900")), body), JSON, 403, "SignatureDoesNotMatch",
                "unsigned Sluice-Delay-Seconds header");
    }

    @Test
    void aSignedHeaderTheRoutesReadCannotBeSplitIntoTwoLinesThatSignAlike() throws Exception {
        // Two lines of a header are signed as their values joined by a comma, but the routes read the first line:
        // "Sluice-Delay-Seconds: 0,900" signed could be replayed as two lines, "0" and "900", under the same signature.
        sqs.createQueue(request -> request.queueName("rest-split"));
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> signed = signer.headers("POST", "/v1/queues/rest-split/messages", null,
                Map.of("Content-Type", "text/plain", "Sluice-Attribute-Colour", "red,blue"), body, null, "sqs",
                Instant.now());
        assertEquals(200, raw.send("POST", "/v1/queues/rest-split/messages", signed, body).status());
        assertError(raw.send("POST", "/v1/queues/rest-split/messages", split(signed, "Sluice-Attribute-Colour", "red",
                "blue"), body), JSON, 403, "SignatureDoesNotMatch",
                "a signed Sluice-Attribute header split in two lines");

        byte[] json = "{\"QueueName\":\"split-target\"}".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> target = signer.headers("POST", "/", null, Map.of("Content-Type",
                AMZ_JSON.getValue(), "X-Amz-Target", "AmazonSQS.CreateQueue,AmazonSQS.GetQueueUrl"), json, null, "sqs",
                Instant.now());
        assertError(raw.send("POST", "/", split(target, "X-Amz-Target", "AmazonSQS.CreateQueue", "AmazonSQS.GetQueueUrl"),
                json), JSON, 403, "SignatureDoesNotMatch", "a signed X-Amz-Target split in two lines");
        assertFalse(queueExists("split-target"));
    }

    /** {@code headers} with the header {@code name} sent as one line per value instead. */
    private static List<Map.Entry<String, String>> split(List<Map.Entry<String, String>> headers, String name,
            String... values) {
        List<Map.Entry<String, String>> split = new ArrayList<>(headers.stream()
                .filter(header -> !header.getKey().equalsIgnoreCase(name)).toList());
        for (String value : values) {
            split.add(Map.entry(name, value));
        }
        return split;
    }

    @Test
    void anUnsignedRequestWithAFormOrMultipartContentTypeGetsTheAuthErrorOnEveryApiRoute() throws Exception {
        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
            Map.Entry<String, String> contentType = Map.entry("Content-Type", type);
            assertError(raw.send("GET", "/v1/queues", List.of(contentType), ""), JSON, 403, "MissingAuthenticationToken",
                    "GET /v1/queues " + type);
            assertError(raw.send("GET", "/v1/queues", List.of(contentType, Map.entry("Content-Length", "0")), ""), JSON,
                    403, "MissingAuthenticationToken", "GET /v1/queues, Content-Length 0, " + type);
            assertError(raw.send("GET", "/v1/queues", List.of(contentType), "a=b"), JSON, 403, "MissingAuthenticationToken",
                    "GET /v1/queues with a body, " + type);
            assertError(raw.send("GET", "/", List.of(contentType), ""), XML, 403, "MissingAuthenticationToken",
                    "GET / " + type);
            assertError(raw.send("POST", "/", List.of(contentType), "--x\r\n"), XML, 403, "MissingAuthenticationToken",
                    "POST / " + type);
            assertEquals(403, raw.send("HEAD", "/v1/queues", List.of(contentType), "").status(), "HEAD " + type);
            assertEquals(200, raw.send("GET", "/health/live", List.of(contentType), "").status(), "GET /health/live " + type);
        }
    }

    @Test
    void aBadPercentEscapeGetsTheAuthErrorWhetherOrNotTheRequestCarriesASignature() throws Exception {
        byte[] body = "Action=ListQueues".getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = signer.headers("POST", "/", "a=b", Map.of("Content-Type", FORM.getValue()),
                body, null, "sqs", Instant.now());
        assertError(raw.send("POST", "/?a=%zz", headers, body), XML, 403, "SignatureDoesNotMatch", "signed, POST /?a=%zz");
        assertError(raw.send("POST", "/?a=%zz", List.of(FORM), body), XML, 403, "MissingAuthenticationToken",
                "unsigned POST /?a=%zz");
        assertError(raw.send("POST", "/", List.of(FORM), "Action=ListQueues&a=%zz"), XML, 403,
                "MissingAuthenticationToken", "unsigned form body with %zz");
        List<Map.Entry<String, String>> rest = signer.headers("GET", "/v1/queues", "max=1", Map.of(), new byte[0], null,
                "sqs", Instant.now());
        assertError(raw.send("GET", "/v1/queues?max=%zz", rest, ""), JSON, 403, "SignatureDoesNotMatch",
                "signed GET /v1/queues?max=%zz");
        assertTrue(raw.send("GET", "/v1/queues?max=%zz", List.of(), "").status() == 403);
    }
}
