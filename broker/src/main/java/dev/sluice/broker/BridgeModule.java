package dev.sluice.broker;

import dev.sluice.faasbridge.api.http.BridgeOperations;
import dev.sluice.faasbridge.service.BridgeSettings;
import dev.sluice.faasbridge.service.FunctionBridge;
import dev.sluice.faasbridge.store.CatalogDefinitionStore;
import io.vertx.ext.web.Router;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * Wires the function-trigger bridge into the server: it polls through the in-process QueueClient, keeps
 * functions and mappings in the replicated catalog, and serves {@code /v1/functions} and
 * {@code /v1/event-source-mappings}. Every node runs one; bridges on several nodes share a mapping's
 * messages the way any competing consumers of a queue do.
 */
final class BridgeModule implements AutoCloseable {
    private final Supplier<BridgeSettings> settings;
    private FunctionBridge bridge;

    BridgeModule(Supplier<BridgeSettings> settings) {
        this.settings = settings;
    }

    /** Starts the bridge; must be mounted after the queue routes: it needs the in-process client they build. */
    RouteMount routes(QueueModule queues, InstantSource clock) {
        return (Router router, RouteMount.Context context) -> {
            bridge = FunctionBridge.start(queues.client(), new CatalogDefinitionStore(context.node().catalog()), context.vertx(),
                    context.meters(), settings.get(), clock);
        };
    }

    /** The bridge's /v1 operations; after the routes are mounted. */
    dev.sluice.broker.api.rest.RestResource restResource() {
        return new dev.sluice.broker.api.rest.FunctionResource(new BridgeOperations(bridge.api()));
    }

    /** Null before the routes are mounted. */
    FunctionBridge bridge() {
        return bridge;
    }

    /** The in-process client ignores the host of queue URLs; the bridge only needs their shape. */
    static BridgeSettings defaultSettings() {
        return BridgeSettings.defaults("http://127.0.0.1:9324");
    }

    @Override
    public void close() {
        if (bridge != null) {
            bridge.close();
        }
    }
}
