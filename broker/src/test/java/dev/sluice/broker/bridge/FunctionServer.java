package dev.sluice.broker.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP function on a free loopback port, shaped like the Lambda Runtime Interface Emulator:
 * {@code POST /2015-03-31/functions/function/invocations}. It records every event it gets and the
 * highest number of invocations it saw at once, and answers what the test's responder says.
 */
public final class FunctionServer implements AutoCloseable {
    static final String PATH = "/2015-03-31/functions/function/invocations";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the function answers: status, headers, body, after {@code delayMillis}. */
    public record Reply(int status, Map<String, String> headers, String body, long delayMillis) {
        static Reply ok(String body) {
            return new Reply(200, Map.of(), body, 0);
        }

        public static Reply okAfter(long delayMillis) {
            return new Reply(200, Map.of(), "null", delayMillis);
        }

        Reply after(long millis) {
            return new Reply(status, headers, body, millis);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Function<JsonNode, Reply> responder = event -> Reply.ok("null");

    public FunctionServer() throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            JsonNode event;
            try {
                event = JSON.readTree(body.toString());
            } catch (Exception e) {
                request.response().setStatusCode(400).end();
                return;
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            events.add(event);
            Reply reply = responder.apply(event);
            Runnable answer = () -> {
                inFlight.decrementAndGet();
                var response = request.response().setStatusCode(reply.status());
                reply.headers().forEach(response::putHeader);
                response.end(reply.body());
            };
            if (reply.delayMillis() > 0) {
                vertx.setTimer(reply.delayMillis(), id -> answer.run());
            } else {
                answer.run();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + PATH;
    }

    public void respond(Function<JsonNode, Reply> responder) {
        this.responder = responder;
    }

    public List<JsonNode> events() {
        return new ArrayList<>(events);
    }

    /** Every record body the function was given, in arrival order, repeats included. */
    List<String> bodies() {
        List<String> bodies = new ArrayList<>();
        events.forEach(event -> event.get("Records").forEach(record -> bodies.add(record.get("body").asText())));
        return bodies;
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
