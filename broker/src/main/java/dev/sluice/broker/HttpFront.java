package dev.sluice.broker;

import dev.sluice.broker.api.http.ProtocolErrorResponder;
import dev.sluice.broker.api.http.RawBodyHandler;
import dev.sluice.broker.config.SluiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The part of the HTTP API that needs nothing of the store: Vert.x, the router, its answers to requests no route
 * takes, and the handlers every request passes before authentication. {@link #buildAsync} builds it on a thread of its
 * own while the caller opens the Raft groups: on a restart the groups' start (opening the stores, rebuilding a queue's
 * index, loading the log) keeps one thread busy for a second or more, and building the front (mostly loading and
 * initialising Vert.x, Netty and Jackson classes) took as long again on the main thread after it.
 *
 * <p>Public only so that the benchmarks' HTTP floor ({@code SqsFloorServer}) serves through the very same front.
 */
public record HttpFront(Vertx vertx, Router router) {

    /** Starts building the front; the future fails with what the build threw. */
    static CompletableFuture<HttpFront> buildAsync(SluiceConfig config, MeterRegistry meters) {
        CompletableFuture<HttpFront> front = new CompletableFuture<>();
        Thread builder = new Thread(() -> {
            try {
                front.complete(build(config, meters));
            } catch (RuntimeException | Error e) {
                front.completeExceptionally(e);
            }
        }, "sluice-http-front");
        builder.setDaemon(true);
        builder.start();
        return front;
    }

    public static HttpFront build(SluiceConfig config, MeterRegistry meters) {
        Vertx vertx = Vertx.builder()
                // No route label: one SQS route serves every action (ApiMeters labels by action instead).
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(meters))
                .build();
        try {
            Router router = Router.router(vertx);
            // A URL Vert.x cannot decode while matching a route (bad % escape) fails before any route's own handler;
            // a path or method no route takes would get Vert.x's HTML page: both answer in the request's protocol.
            ProtocolErrorResponder unrouted = new ProtocolErrorResponder(() -> UUID.randomUUID().toString());
            router.errorHandler(400, unrouted.badRequest());
            router.errorHandler(404, unrouted.noRoute());
            router.errorHandler(405, unrouted.noRoute());
            router.errorHandler(413, unrouted.tooLarge(config.http().maxBodySize().bytes()));
            // First of all: times every request and labels it with the API action the answering route names.
            router.route().handler(new dev.sluice.broker.ops.ApiMeters(meters));
            // The body as received, never decoded before authentication (see RawBodyHandler).
            // Vert.x fails a request whose target is no absolute path ("GET v1/queues") with 404 before any handler
            // ran, and hands it to the failure handlers of the routes its normalised path matches; this one, first
            // of all, answers it as a path no route takes instead of letting a route's handler see an internal error.
            router.route().handler(new RawBodyHandler(config.http().maxBodySize().bytes()))
                    .failureHandler(unrouted.unroutable());
            // The web console's static files, and a browser's GET / sent to them: public, so before authentication.
            new dev.sluice.broker.api.http.ConsoleRoutes().mount(router);
            return new HttpFront(vertx, router);
        } catch (RuntimeException | Error e) {
            vertx.close();
            throw e;
        }
    }
}
