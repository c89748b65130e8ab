package dev.sluice.broker.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The body reaches the route byte for byte whether its length is declared, larger than the presized buffer, or chunked. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RawBodyHandlerTest {
    private static final int MAX_BODY_BYTES = 300 * 1024;

    private static Vertx vertx;
    private static HttpServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        router.route().handler(new RawBodyHandler(MAX_BODY_BYTES)).handler(context -> context.response()
                .end(context.body().length() + " " + sha256(context.body().buffer().getBytes())));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void bodiesWithADeclaredLengthArriveWholeBelowAndAboveThePresizedBuffer() throws Exception {
        for (int length : new int[] {1, 2_000, RawBodyHandler.PRESIZED_BODY_MAX_BYTES,
                RawBodyHandler.PRESIZED_BODY_MAX_BYTES + 1, MAX_BODY_BYTES}) {
            byte[] body = randomBytes(length);
            HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofByteArray(body));
            assertEquals(200, response.statusCode());
            assertEquals(length + " " + sha256(body), response.body(), "length " + length);
        }
    }

    @Test
    void aChunkedBodyWithoutADeclaredLengthArrivesWhole() throws Exception {
        byte[] body = randomBytes(150_000);
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        assertEquals(200, response.statusCode());
        assertEquals(body.length + " " + sha256(body), response.body());
    }

    @Test
    void aBodyOverTheBoundIsRefusedWhetherDeclaredOrChunked() throws Exception {
        byte[] body = randomBytes(MAX_BODY_BYTES + 1);
        assertEquals(413, post(HttpRequest.BodyPublishers.ofByteArray(body)).statusCode());
        assertEquals(413, post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).statusCode());
    }

    private static HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/echo"))
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
