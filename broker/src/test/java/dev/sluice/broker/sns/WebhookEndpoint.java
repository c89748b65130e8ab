package dev.sluice.broker.sns;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP endpoint for webhook tests: a Vert.x server on a free loopback port that records every POST
 * and answers with the status {@code responder} picks (null: never answer, a hung endpoint).
 */
public final class WebhookEndpoint implements AutoCloseable {
    /** One received request. */
    public record Delivery(Map<String, String> headers, String body, long receivedAtNanos) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Delivery> deliveries = new ArrayList<>();

    public WebhookEndpoint(Function<Delivery, Integer> responder) throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> headers = new TreeMap<>();
            request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(java.util.Locale.ROOT),
                    header.getValue()));
            Delivery delivery = new Delivery(headers, body.toString(), System.nanoTime());
            synchronized (deliveries) {
                deliveries.add(delivery);
                deliveries.notifyAll();
            }
            Integer status = responder.apply(delivery);
            if (status != null) {
                request.response().setStatusCode(status).end();
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    public List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** Waits until {@code count} requests matching {@code filter} arrived, at most {@code seconds}; returns them. */
    public List<Delivery> await(java.util.function.Predicate<Delivery> filter, int count, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (deliveries) {
            while (true) {
                List<Delivery> matching = deliveries.stream().filter(filter).toList();
                long left = deadline - System.nanoTime();
                if (matching.size() >= count || left <= 0) {
                    return matching;
                }
                deliveries.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
