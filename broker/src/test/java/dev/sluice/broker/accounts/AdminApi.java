package dev.sluice.broker.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Signed calls to {@code /v1/admin/accounts} on one node, and SDK clients signed with the keys they create. */
final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final int port;
    private final AwsCredentials credentials;

    AdminApi(int port, AwsCredentials credentials) {
        this.port = port;
        this.credentials = credentials;
    }

    /** One answer: its status and JSON body (null for none). */
    record Answer(int status, JsonNode body, String text) {
        String code() {
            return body == null ? null : body.path("code").asText(null);
        }
    }

    Answer call(String method, String path, String json) {
        try {
            URI uri = URI.create("http://127.0.0.1:" + port + path);
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = json == null ? Map.of() : Map.of("Content-Type", "application/json");
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, json == null
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            if (credentials != null) {
                new SigV4Signer("sqs", "us-east-1").sign(method, uri, headers, body, credentials, Instant.now()).headers()
                        .forEach(request::header);
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            boolean jsonAnswer = response.headers().firstValue("Content-Type").orElse("").contains("json");
            return new Answer(response.statusCode(), text.isEmpty() || !jsonAnswer ? null : JSON.readTree(text), text);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /** Creates an account and answers its id. */
    String createAccount(String name) {
        Answer created = call("POST", "/v1/admin/accounts", "{\"name\":\"" + name + "\"}");
        if (created.status() != 201) {
            throw new AssertionError(created.text());
        }
        return created.body().get("accountId").asText();
    }

    /** Creates a key in the account and answers it with its secret. */
    AwsCredentials createKey(String accountId) {
        Answer created = call("POST", "/v1/admin/accounts/" + accountId + "/keys", null);
        if (created.status() != 201) {
            throw new AssertionError(created.text());
        }
        return AwsCredentials.of(created.body().get("accessKeyId").asText(), created.body().get("secretAccessKey").asText());
    }

    /** An SQS client on this node signed with {@code keys}, without retries: a refusal surfaces at once. */
    SqsClient sqs(AwsCredentials keys) {
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keys.accessKeyId(),
                        keys.secretAccessKey())))
                .overrideConfiguration(config -> config.retryStrategy(
                        software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
