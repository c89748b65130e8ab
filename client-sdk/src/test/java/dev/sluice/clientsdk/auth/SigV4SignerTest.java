package dev.sluice.clientsdk.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The signer against AWS's published Signature Version 4 test suite (credentials AKIDEXAMPLE, time
 * 2015-08-30T12:36:00Z, service {@code service}, region us-east-1) and against the AWS SDK for Java
 * v2's own signer, an independent implementation, on SQS- and SNS-shaped requests.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SigV4SignerTest {

    private static final AwsCredentials SUITE_KEYS =
            AwsCredentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final Instant SUITE_TIME = Instant.parse("2015-08-30T12:36:00Z");
    private static final SigV4Signer SUITE_SIGNER = new SigV4Signer("service", "us-east-1");

    @Test
    void postVanillaMatchesTheTestSuite() {
        SigV4Signer.Signature signature = SUITE_SIGNER.sign("POST", URI.create("https://example.amazonaws.com/"),
                Map.of(), new byte[0], SUITE_KEYS, SUITE_TIME);
        assertEquals("POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", signature.canonicalRequest());
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
                signature.headers().get("Authorization"));
        assertEquals("20150830T123600Z", signature.headers().get("X-Amz-Date"));
    }

    @Test
    void queryParameterWithoutValueMatchesTheTestSuite() {
        SigV4Signer.Signature signature = SUITE_SIGNER.sign("GET",
                URI.create("https://example.amazonaws.com/?Param1=value1"), Map.of(), new byte[0], SUITE_KEYS,
                SUITE_TIME);
        assertEquals("a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb", signature.signature());
    }

    @Test
    void utf8PathIsPercentEncodedAsInTheTestSuite() {
        SigV4Signer.Signature signature = SUITE_SIGNER.sign("GET", URI.create("https://example.amazonaws.com/\u1234"),
                Map.of(), new byte[0], SUITE_KEYS, SUITE_TIME);
        assertEquals("GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                + "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                signature.canonicalRequest());
    }

    @Test
    void iamListUsersMatchesTheDocumentedExample() {
        // The worked example of AWS's "Signature Version 4 signing process" page (IAM ListUsers).
        SigV4Signer iam = new SigV4Signer("iam", "us-east-1");
        SigV4Signer.Signature signature = iam.sign("GET",
                URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), new byte[0], SUITE_KEYS,
                SUITE_TIME);
        assertEquals("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", signature.signature());
    }

    @Test
    void sqsJsonRequestSignsAsTheAwsSdkDoes() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.0");
        headers.put("X-Amz-Target", "AmazonSQS.SendMessage");
        byte[] body = "{\"QueueUrl\":\"http://127.0.0.1:9324/000000000000/q\",\"MessageBody\":\"h\u00e9 there\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertSameAsAwsSdk(new SigV4Signer("sqs", "eu-west-1"), "POST", URI.create("http://127.0.0.1:9324/"),
                headers, body, AwsCredentials.of("AKIAIOSFODNN7EXAMPLE", "secret/with+chars"));
    }

    @Test
    void snsQueryRequestWithSessionTokenSignsAsTheAwsSdkDoes() {
        byte[] body = "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3At&Message=hi%20there"
                .getBytes(StandardCharsets.UTF_8);
        assertSameAsAwsSdk(new SigV4Signer("sns", "us-east-1"), "POST", URI.create("https://sns.us-east-1.amazonaws.com/"),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), body,
                new AwsCredentials("ASIAEXAMPLE", "secret", "session//token=="));
    }

    @Test
    void pathAndQueryWithReservedCharactersSignAsTheAwsSdkDoes() {
        assertSameAsAwsSdk(new SigV4Signer("sqs", "us-east-1"), "GET",
                URI.create("http://localhost:8080/000000000000/my-queue?b=2&a=x%20y&a=%2Fz&c"),
                Map.of("X-Custom", "  spaced   value "), new byte[0], AwsCredentials.of("AK", "SK"));
    }

    @Test
    void alreadySignedRequestIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SUITE_SIGNER.sign("GET",
                URI.create("https://example.amazonaws.com/"), Map.of("Authorization", "x"), new byte[0], SUITE_KEYS,
                SUITE_TIME));
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertFalse(new AwsCredentials("AK", "topsecret", "tok").toString().contains("topsecret"));
    }

    /** Signs with the AWS SDK's signer, then with ours over the same headers; the signatures must agree. */
    private static void assertSameAsAwsSdk(SigV4Signer ours, String method, URI uri, Map<String, String> headers,
            byte[] body, AwsCredentials credentials) {
        Instant now = Instant.parse("2026-11-24T01:02:03Z");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(request::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials.sessionToken() == null
                        ? AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey())
                        : software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity.create(
                                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()))
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, ours.service())
                .putProperty(AwsV4HttpSigner.REGION_NAME, ours.region())
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));
        String expected = signed.request().firstMatchingHeader("Authorization").orElseThrow();

        // Sign over whatever else the SDK added (e.g. x-amz-content-sha256), minus what our signer adds itself.
        Map<String, String> sent = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.equals("authorization") && !lower.equals("x-amz-date") && !lower.equals("host")
                    && !lower.equals("x-amz-security-token")) {
                sent.put(name, String.join(",", values));
            }
        });
        assertEquals(expected, ours.sign(method, uri, sent, body, credentials, now).headers().get("Authorization"));
    }
}
