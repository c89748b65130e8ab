package dev.sluice.broker;

import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.raftstore.RaftStoreNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Adds routes to the server's router: how the SQS, REST and SNS APIs join the server. Pass mounts to
 * {@link SluiceServer#start}; each is called once, on the starting thread, after the store node runs
 * and before the HTTP port opens, in list order after the built-in {@code /health} and {@code /metrics}.
 * Request bodies are already read (up to {@code http.maxBodySize}) when a mounted handler runs.
 */
@FunctionalInterface
public interface RouteMount {
    void mount(Router router, Context context);

    /** What routes may use: handlers keep these references; the server closes them, not the mount. */
    record Context(Vertx vertx, RaftStoreNode node, SluiceConfig config, MeterRegistry meters) {
    }
}
