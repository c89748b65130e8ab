package dev.sluice.broker.ops;

import dev.sluice.broker.RouteMount;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/**
 * {@code GET /metrics}: every meter of the registry (JVM, Vert.x HTTP, Raft, RocksDB) in the Prometheus
 * text format. Scraping runs gauges that read RocksDB properties, so it runs on a worker thread.
 */
public final class MetricsRoutes implements RouteMount {
    /** The Prometheus text exposition format that {@link PrometheusMeterRegistry#scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public MetricsRoutes(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void mount(Router router, Context context) {
        router.get("/metrics").handler(request -> request.vertx().executeBlocking(registry::scrape, false)
                .onSuccess(text -> request.response().putHeader("content-type", CONTENT_TYPE).end(text))
                .onFailure(request::fail));
    }
}
