package dev.sluice.broker.api.http;

import dev.sluice.broker.api.CannedQueueClient;
import dev.sluice.broker.service.SqsLimits;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** {@link SqsRoutes} over a {@link CannedQueueClient} on a Vert.x server on a free loopback port, for the ITs. */
final class CannedSqsServer implements AutoCloseable {

    private final Vertx vertx;
    private final HttpServer server;

    private CannedSqsServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    static CannedSqsServer start(SqsLimits limits) throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicReference<String> base = new AtomicReference<>();
        Router router = Router.router(vertx);
        new SqsRoutes(new CannedQueueClient(base::get), limits).mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CannedSqsServer started = new CannedSqsServer(vertx, server);
        base.set(started.endpoint());
        return started;
    }

    /** {@code http://127.0.0.1:<port>}, also the base of the queue URLs the canned client answers. */
    String endpoint() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    int port() {
        return server.actualPort();
    }

    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
