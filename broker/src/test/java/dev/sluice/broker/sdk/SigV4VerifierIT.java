package dev.sluice.broker.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * client-sdk's SigV4 signer against a server that verifies signatures: S3Proxy (an S3 API server on
 * Maven Central) with SigV4 authentication on. Signed requests are accepted; a wrong secret is refused
 * with SignatureDoesNotMatch, so the server really checks. Paths here have no characters whose
 * encoding differs between S3's rule and the other services' rule.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SigV4VerifierIT {
    private static final String ACCESS_KEY = "AKIASLUICETEST";
    private static final String SECRET = "sluice/secret+key=";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final SigV4Signer signer = new SigV4Signer("s3", "us-east-1", true);
    private S3Proxy s3;
    private BlobStoreContext blobs;

    @BeforeAll
    void start() throws Exception {
        blobs = ContextBuilder.newBuilder("transient").credentials("unused", "unused").build(BlobStoreContext.class);
        s3 = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET).build();
        s3.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!"STARTED".equals(s3.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @AfterAll
    void stop() throws Exception {
        s3.stop();
        blobs.close();
    }

    @Test
    void signedRequestsAreAcceptedByAVerifyingServer() throws Exception {
        AwsCredentials credentials = AwsCredentials.of(ACCESS_KEY, SECRET);
        assertEquals(200, send("PUT", "/sigv4-bucket", Map.of(), new byte[0], credentials).statusCode());
        byte[] object = "disk full on db-1 \u00e9".getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> put = send("PUT", "/sigv4-bucket/alert-1", Map.of("Content-Type", "text/plain"), object,
                credentials);
        assertEquals(200, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> get = send("GET", "/sigv4-bucket/alert-1", Map.of(), new byte[0], credentials);
        assertEquals(200, get.statusCode());
        assertArrayEquals(object, get.body());
        HttpResponse<byte[]> list = send("GET", "/sigv4-bucket?prefix=alert&max-keys=10", Map.of(), new byte[0],
                credentials);
        assertEquals(200, list.statusCode(), new String(list.body(), StandardCharsets.UTF_8));
        assertTrue(new String(list.body(), StandardCharsets.UTF_8).contains("<Key>alert-1</Key>"));
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        HttpResponse<byte[]> refused = send("PUT", "/other-bucket", Map.of(), new byte[0],
                AwsCredentials.of(ACCESS_KEY, "not the secret"));
        assertEquals(403, refused.statusCode());
        assertTrue(new String(refused.body(), StandardCharsets.UTF_8).contains("SignatureDoesNotMatch"));
    }

    private HttpResponse<byte[]> send(String method, String pathAndQuery, Map<String, String> headers, byte[] body,
            AwsCredentials credentials) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + s3.getPort() + pathAndQuery);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(signer.sign(method, uri, headers, body, credentials, Instant.now()).headers());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        all.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
