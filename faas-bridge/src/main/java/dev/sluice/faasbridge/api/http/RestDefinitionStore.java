package dev.sluice.faasbridge.api.http;

import dev.sluice.clientsdk.LambdaError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.faasbridge.core.BridgeException;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.store.DefinitionStore;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.clientsdk.auth.SigV4Signer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.InstantSource;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A standalone bridge's view of functions and mappings: read from a server's REST API
 * ({@code GET /v1/functions}, {@code GET /v1/event-source-mappings}). Read-only: they are managed on the
 * server, whose catalog holds them; writes fail with {@link LambdaError#INVALID_PARAMETER_VALUE}. Requests
 * are signed (SigV4) when credentials are given, as a server with access keys requires.
 */
public final class RestDefinitionStore implements DefinitionStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each read waits at most this long for the server. */
    private static final long TIMEOUT_MILLIS = 10_000;

    private final WebClient http;
    private final String endpoint;
    private final AwsCredentials credentials;
    private final SigV4Signer signer;
    private final InstantSource clock;

    /** An unsigned store, for a server without access keys. */
    public RestDefinitionStore(WebClient http, String endpoint) {
        this(http, endpoint, null, "us-east-1", InstantSource.system());
    }

    /**
     * @param endpoint the server's base URL, {@code http://host:port}
     * @param credentials the key every request is signed with (SigV4, service {@code lambda}, as client-sdk's
     *     FunctionClient signs), or null to send them unsigned
     * @param region the region of the signatures' scope
     */
    public RestDefinitionStore(WebClient http, String endpoint, AwsCredentials credentials, String region,
            InstantSource clock) {
        this.http = http;
        this.endpoint = endpoint.replaceAll("/+$", "");
        this.credentials = credentials;
        this.signer = new SigV4Signer("lambda", region);
        this.clock = clock;
    }

    /** A request to {@code path} (with its query), signed when there are credentials. */
    private HttpRequest<Buffer> request(HttpMethod method, String path) {
        HttpRequest<Buffer> request = http.requestAbs(method, endpoint + path).timeout(TIMEOUT_MILLIS);
        if (credentials != null) {
            signer.sign(method.name(), URI.create(endpoint + path), Map.of(), new byte[0], credentials, clock.instant())
                    .headers().forEach(request::putHeader);
        }
        return request;
    }

    @Override
    public CompletableFuture<List<FunctionDefinition>> functions() {
        return list("/v1" + BridgeOperations.FUNCTIONS, "Functions", BridgeJsonCodec::functionFromJson);
    }

    @Override
    public CompletableFuture<List<EventSourceMapping>> mappings() {
        return list("/v1" + BridgeOperations.MAPPINGS, "EventSourceMappings", BridgeJsonCodec::mappingFromJson);
    }

    @Override
    public CompletableFuture<Optional<FunctionDefinition>> function(String name) {
        return functions().thenApply(all -> all.stream().filter(function -> function.name().equals(name)).findFirst());
    }

    @Override
    public CompletableFuture<Optional<EventSourceMapping>> mapping(String uuid) {
        return mappings().thenApply(all -> all.stream().filter(mapping -> mapping.uuid().equals(uuid)).findFirst());
    }

    private <T> CompletableFuture<List<T>> list(String path, String field, Function<JsonNode, T> decode) {
        return request(HttpMethod.GET, path).send().toCompletionStage().toCompletableFuture()
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": " + response.bodyAsString());
                    }
                    try {
                        List<T> out = new ArrayList<>();
                        for (JsonNode item : JSON.readTree(response.bodyAsString()).path(field)) {
                            out.add(decode.apply(item));
                        }
                        return out;
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("GET " + path + " answered unreadable JSON", e);
                    }
                });
    }

    @Override
    public CompletableFuture<Void> heartbeat(String bridgeId, long nowMillis) {
        return expect(request(HttpMethod.PUT, "/v1" + BridgeOperations.BRIDGES + "/" + bridgeId).send(), "PUT");
    }

    @Override
    public CompletableFuture<Void> forgetBridge(String bridgeId) {
        return expect(request(HttpMethod.DELETE, "/v1" + BridgeOperations.BRIDGES + "/" + bridgeId).send(), "DELETE");
    }

    /** The server judges liveness by its own clock ({@code nowMillis} is not sent), so bridges' clocks need not agree. */
    @Override
    public CompletableFuture<List<String>> liveBridges(long nowMillis, long ttlMillis) {
        return list("/v1" + BridgeOperations.BRIDGES + "?ttlMillis=" + ttlMillis, "Bridges", JsonNode::asText);
    }

    private static CompletableFuture<Void> expect(io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>> call,
            String method) {
        return call.toCompletionStage().toCompletableFuture().thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + "/v1" + BridgeOperations.BRIDGES + " answered " + response.statusCode());
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Optional<FunctionDefinition>> updateFunction(String name,
            java.util.function.Function<FunctionDefinition, CompletableFuture<FunctionDefinition>> change) {
        return readOnly();
    }

    @Override
    public CompletableFuture<Optional<EventSourceMapping>> updateMapping(String uuid,
            java.util.function.Function<EventSourceMapping, CompletableFuture<EventSourceMapping>> change) {
        return readOnly();
    }

    @Override
    public CompletableFuture<Boolean> putFunctionIfAbsent(FunctionDefinition function) {
        return readOnly();
    }

    @Override
    public CompletableFuture<Boolean> deleteFunction(String name) {
        return readOnly();
    }

    @Override
    public CompletableFuture<Void> putMapping(EventSourceMapping mapping) {
        return readOnly();
    }

    @Override
    public CompletableFuture<Boolean> deleteMapping(String uuid) {
        return readOnly();
    }

    private static <T> CompletableFuture<T> readOnly() {
        return CompletableFuture.failedFuture(new BridgeException(LambdaError.INVALID_PARAMETER_VALUE,
                "A standalone bridge reads functions and mappings from its server; manage them there"));
    }
}
