package dev.sluice.faasbridge;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.auth.AwsCredentials;
import dev.sluice.faasbridge.api.http.RestDefinitionStore;
import dev.sluice.faasbridge.service.FunctionBridge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * A bridge outside the server: functions and mappings come from the server's REST API, queues are reached
 * through the given QueueClient (the HTTP client against the same server), and this process serves its
 * own {@code GET /health} and {@code GET /metrics} (Prometheus text). The pollers are the server's own
 * code ({@link FunctionBridge}); several standalone bridges and the servers' bridges share mappings.
 */
public final class StandaloneBridge implements AutoCloseable {
    private final Vertx vertx;
    private final FunctionBridge bridge;
    private final HttpServer http;
    private final PrometheusMeterRegistry meters;

    private StandaloneBridge(Vertx vertx, FunctionBridge bridge, HttpServer http, PrometheusMeterRegistry meters) {
        this.vertx = vertx;
        this.bridge = bridge;
        this.http = http;
        this.meters = meters;
    }

    /** Without credentials: for a server without access keys. */
    public static StandaloneBridge start(BridgeOptions options, QueueClient queues) throws Exception {
        return start(options, queues, null);
    }

    /**
     * @param credentials the key the REST reads of functions and mappings are signed with (give the queue
     *     client the same), or null for a server without access keys
     */
    public static StandaloneBridge start(BridgeOptions options, QueueClient queues, AwsCredentials credentials)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        FunctionBridge bridge = null;
        try {
            bridge = FunctionBridge.start(queues, new RestDefinitionStore(WebClient.create(vertx), options.endpoint(),
                    credentials, options.settings().region(), InstantSource.system()), vertx, meters,
                    options.settings(), InstantSource.system());
            HttpServer http = vertx.createHttpServer().requestHandler(request -> {
                switch (request.path()) {
                    case "/health" -> request.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
                    case "/metrics" -> request.response().putHeader("Content-Type", "text/plain; version=0.0.4")
                            .end(meters.scrape());
                    default -> request.response().setStatusCode(404).end();
                }
            }).listen(options.port(), options.host()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new StandaloneBridge(vertx, bridge, http, meters);
        } catch (Exception | Error e) {
            if (bridge != null) {
                bridge.close();
            }
            vertx.close();
            throw e;
        }
    }

    public FunctionBridge bridge() {
        return bridge;
    }

    /** The port of {@code /health} and {@code /metrics}. */
    public int port() {
        return http.actualPort();
    }

    @Override
    public void close() throws Exception {
        bridge.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        meters.close();
    }
}
