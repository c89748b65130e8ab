package dev.sluice.clientsdk.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.clientsdk.Cancellation;
import dev.sluice.clientsdk.LambdaError;
import dev.sluice.clientsdk.LambdaException;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import dev.sluice.clientsdk.lambda.EventSourceMappingConfiguration;
import dev.sluice.clientsdk.lambda.EventSourceMappingRequest;
import dev.sluice.clientsdk.lambda.FunctionConfiguration;
import dev.sluice.clientsdk.lambda.FunctionRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A client of Sluice's functions and event-source-mapping REST API ({@code /v1/functions},
 * {@code /v1/event-source-mappings}): JSON with Lambda's field names over the JDK HttpClient.
 *
 * <p>It shares the HTTP queue client's options and transport: requests are signed with SigV4 (service
 * {@code lambda}) when credentials are set; connection failures, 429 and 5xx answers are tried again
 * per the {@link RetryPolicy}; every try has the request timeout. An error answer completes the future
 * with {@link LambdaException} carrying the Lambda code the API answered (an unknown code maps by status:
 * 429 to TOO_MANY_REQUESTS, 5xx to SERVICE_EXCEPTION, other to INVALID_PARAMETER_VALUE, the code kept in
 * the message); a connection failure left after the last try completes it with the
 * {@link java.io.IOException}. Build with {@link #builder()}. Thread-safe; never blocks.
 *
 * <pre>{@code
 * FunctionClient functions = FunctionClient.builder().endpoint(URI.create("http://127.0.0.1:9324")).build();
 * functions.createFunction(FunctionRequest.http("pager", "http://127.0.0.1:8080/2015-03-31/functions/function/invocations"))
 *         .thenCompose(fn -> functions.createEventSourceMapping(
 *                 EventSourceMappingRequest.of("pager", "arn:aws:sqs:us-east-1:000000000000:alerts").withBatchSize(10)));
 * }</pre>
 */
public final class FunctionClient {
    private static final String FUNCTIONS = "v1/functions";
    private static final String MAPPINGS = "v1/event-source-mappings";
    private static final String CONTENT_TYPE = "application/json";
    private static final byte[] NO_BODY = new byte[0];

    private final URI endpoint;
    private final AwsCredentials credentials;
    private final SigV4Signer signer;
    private final Duration requestTimeout;
    private final InstantSource clock;
    private final RetryingHttpSender sender;
    private final ObjectMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private FunctionClient(HttpQueueClientBuilder<FunctionClient> builder) {
        this.endpoint = builder.endpoint();
        this.credentials = builder.credentials();
        this.signer = new SigV4Signer("lambda", builder.region(), true);
        this.requestTimeout = builder.requestTimeout();
        this.clock = builder.clock();
        this.sender = builder.sender(FunctionClient::retryable);
    }

    /** A builder (the HTTP clients' options); only {@code endpoint} is required. */
    public static HttpQueueClientBuilder<FunctionClient> builder() {
        return new HttpQueueClientBuilder<>(FunctionClient::new);
    }

    /** {@code POST /v1/functions}: completes with the new function, or fails with RESOURCE_CONFLICT when it exists. */
    public CompletableFuture<FunctionConfiguration> createFunction(FunctionRequest request) {
        return call("POST", FUNCTIONS, request, FunctionConfiguration.class);
    }

    public CompletableFuture<FunctionConfiguration> getFunction(String functionName) {
        return call("GET", FUNCTIONS + "/" + segment(functionName), null, FunctionConfiguration.class);
    }

    /** Every function. */
    public CompletableFuture<List<FunctionConfiguration>> listFunctions() {
        return call("GET", FUNCTIONS, null, JsonNode.class)
                .thenApply(body -> items(body, "Functions", FunctionConfiguration.class));
    }

    /** {@code PUT /v1/functions/{name}}: changes the request's non-null fields; completes with the function as it now is. */
    public CompletableFuture<FunctionConfiguration> updateFunction(String functionName, FunctionRequest changes) {
        return call("PUT", FUNCTIONS + "/" + segment(functionName), changes, FunctionConfiguration.class);
    }

    /** Deletes a function; its mappings stay (as in Lambda) but invoke nothing until a function of that name exists again. */
    public CompletableFuture<Void> deleteFunction(String functionName) {
        return call("DELETE", FUNCTIONS + "/" + segment(functionName), null, Void.class);
    }

    /**
     * {@code POST /v1/event-source-mappings}: completes with the new mapping (its UUID names it). Fails with
     * RESOURCE_NOT_FOUND for a missing function, INVALID_PARAMETER_VALUE for a missing queue or one whose
     * visibility timeout is shorter than the function's timeout, RESOURCE_CONFLICT when the function already
     * has a mapping of that queue.
     */
    public CompletableFuture<EventSourceMappingConfiguration> createEventSourceMapping(EventSourceMappingRequest request) {
        return call("POST", MAPPINGS, request, EventSourceMappingConfiguration.class);
    }

    public CompletableFuture<EventSourceMappingConfiguration> getEventSourceMapping(String uuid) {
        return call("GET", MAPPINGS + "/" + segment(uuid), null, EventSourceMappingConfiguration.class);
    }

    /** Every mapping, oldest first. */
    public CompletableFuture<List<EventSourceMappingConfiguration>> listEventSourceMappings() {
        return listMappings(MAPPINGS);
    }

    /** The mappings of one function, oldest first (none when it has none or does not exist). */
    public CompletableFuture<List<EventSourceMappingConfiguration>> listEventSourceMappings(String functionName) {
        return listMappings(MAPPINGS + "?FunctionName=" + URLEncoder.encode(functionName, StandardCharsets.UTF_8));
    }

    /** {@code PUT /v1/event-source-mappings/{UUID}}: changes the request's non-null fields; completes with the mapping. */
    public CompletableFuture<EventSourceMappingConfiguration> updateEventSourceMapping(String uuid, EventSourceMappingRequest changes) {
        return call("PUT", MAPPINGS + "/" + segment(uuid), changes, EventSourceMappingConfiguration.class);
    }

    /** Deletes a mapping; completes with it in state {@code Deleting}. Its pollers stop within the bridges' refresh. */
    public CompletableFuture<EventSourceMappingConfiguration> deleteEventSourceMapping(String uuid) {
        return call("DELETE", MAPPINGS + "/" + segment(uuid), null, EventSourceMappingConfiguration.class);
    }

    private CompletableFuture<List<EventSourceMappingConfiguration>> listMappings(String path) {
        return call("GET", path, null, JsonNode.class)
                .thenApply(body -> items(body, "EventSourceMappings", EventSourceMappingConfiguration.class));
    }

    /** Encodes, sends (signed, retried), and decodes the answer or the error of one request. */
    private <T> CompletableFuture<T> call(String method, String path, Object request, Class<T> answer) {
        byte[] body;
        try {
            body = request == null ? NO_BODY : json.writeValueAsBytes(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        URI uri = endpoint.resolve(path);
        CompletableFuture<HttpResponse<byte[]>> sent = sender.send(() -> httpRequest(method, uri, body));
        CompletableFuture<T> decoded = sent.thenApply(response -> decode(response, answer));
        return Cancellation.propagate(decoded, sent);
    }

    private HttpRequest httpRequest(String method, URI uri, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (body.length > 0) {
            headers.put("Content-Type", CONTENT_TYPE);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (credentials != null) {
            headers.putAll(signer.sign(method, uri, headers, body, credentials, clock.instant()).headers());
        }
        headers.forEach(builder::header);
        return builder.build();
    }

    private <T> T decode(HttpResponse<byte[]> response, Class<T> answer) {
        int status = response.statusCode();
        if (status / 100 != 2) {
            throw errorOf(response);
        }
        if (answer == Void.class || response.body().length == 0) {
            return null;
        }
        try {
            return json.readValue(response.body(), answer);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable answer (HTTP " + status + ")", e);
        }
    }

    private <T> List<T> items(JsonNode body, String field, Class<T> type) {
        List<T> items = new ArrayList<>();
        for (JsonNode item : body.path(field)) {
            items.add(json.convertValue(item, type));
        }
        return items;
    }

    /** The typed error of a non-2xx answer: the REST API's {@code {"code","message","requestId"}}, else its status. */
    private LambdaException errorOf(HttpResponse<byte[]> response) {
        JsonNode body;
        try {
            body = response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            body = json.createObjectNode();
        }
        String code = body.path("code").asText(null);
        String message = body.path("message").asText(null);
        LambdaError error = LambdaError.ofCode(code);
        if (error == null) {
            int status = response.statusCode();
            error = status == 429 ? LambdaError.TOO_MANY_REQUESTS : status >= 500 ? LambdaError.SERVICE_EXCEPTION
                    : LambdaError.INVALID_PARAMETER_VALUE;
            message = (code == null ? "HTTP " + status : code) + (message == null ? "" : ": " + message);
        }
        return new LambdaException(error, message, body.path("requestId").asText(null));
    }

    private static boolean retryable(HttpResponse<byte[]> response) {
        return response.statusCode() >= 500 || response.statusCode() == 429;
    }

    /** A path segment: function names and UUIDs need no escaping, but anything else must not change the path. */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
