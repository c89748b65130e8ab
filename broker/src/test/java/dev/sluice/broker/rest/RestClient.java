package dev.sluice.broker.rest;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Vert.x WebClient on a Sluice port for REST tests, curl-style: method, path, headers, body; every wait bounded. */
final class RestClient implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final WebClient web;

    RestClient(int port) {
        web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    }

    record Answer(int status, String contentType, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        JsonObject json() {
            return new JsonObject(Buffer.buffer(body));
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    Answer send(HttpMethod method, String pathAndQuery, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest<Buffer> request = web.request(method, pathAndQuery);
        headers.forEach(request::putHeader);
        HttpResponse<Buffer> response = (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Map<String, String> responseHeaders = new java.util.HashMap<>();
        response.headers().forEach(entry -> responseHeaders.put(entry.getKey().toLowerCase(java.util.Locale.ROOT),
                entry.getValue()));
        return new Answer(response.statusCode(), response.getHeader("Content-Type"), responseHeaders,
                response.body() == null ? new byte[0] : response.body().getBytes());
    }

    Answer get(String pathAndQuery) throws Exception {
        return send(HttpMethod.GET, pathAndQuery, Map.of(), null);
    }

    Answer delete(String pathAndQuery) throws Exception {
        return send(HttpMethod.DELETE, pathAndQuery, Map.of(), null);
    }

    Answer put(String pathAndQuery, String json) throws Exception {
        return send(HttpMethod.PUT, pathAndQuery, Map.of("Content-Type", "application/json"),
                json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Answer post(String pathAndQuery, Map<String, String> headers, byte[] body) throws Exception {
        return send(HttpMethod.POST, pathAndQuery, headers, body);
    }

    @Override
    public void close() throws Exception {
        web.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
