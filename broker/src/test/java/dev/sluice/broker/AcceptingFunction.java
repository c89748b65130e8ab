package dev.sluice.broker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A function endpoint on a free loopback port that accepts every invocation ({@code 200 null}): what a test needs when
 * it cares that a mapping invokes, not what the function does. Closing stops it at once.
 */
public final class AcceptingFunction implements AutoCloseable {
    private final HttpServer server;

    private AcceptingFunction(HttpServer server) {
        this.server = server;
    }

    public static AcceptingFunction start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "null".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return new AcceptingFunction(server);
    }

    /** The URL to give a function as its InvokeUrl. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
