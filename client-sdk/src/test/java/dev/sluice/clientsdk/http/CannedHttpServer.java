package dev.sluice.clientsdk.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A real HTTP server on a free loopback port (the JDK's) that answers the n-th request (from 0) with
 * a scripted status, headers and body, and records what it received: the peer for testing retries,
 * timeouts and signing without an SQS server.
 */
final class CannedHttpServer implements AutoCloseable {

    record Answer(int status, Map<String, String> headers, String body, long delayMillis) {
        static Answer ok(String body) {
            return new Answer(200, Map.of(), body, 0);
        }

        static Answer error(int status, String type, String queryCode) {
            return new Answer(status, queryCode == null ? Map.of() : Map.of("x-amzn-query-error", queryCode + ";Sender"),
                    "{\"__type\":\"com.amazonaws.sqs#" + type + "\",\"message\":\"canned " + type + "\"}", 0);
        }
    }

    record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    /** The most requests that were being answered at once. */
    final AtomicInteger maxConcurrent = new AtomicInteger();
    final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

    CannedHttpServer(IntFunction<Answer> script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "canned-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", exchange -> answer(exchange, script));
        server.start();
    }

    private void answer(HttpExchange exchange, IntFunction<Answer> script) throws IOException {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
            answerCounted(exchange, script);
        } finally {
            concurrent.decrementAndGet();
        }
    }

    private void answerCounted(HttpExchange exchange, IntFunction<Answer> script) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        Answer answer = script.apply(count.getAndIncrement());
        if (answer.delayMillis() > 0) {
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] out = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        answer.headers().forEach(exchange.getResponseHeaders()::add);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int requests() {
        return count.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
