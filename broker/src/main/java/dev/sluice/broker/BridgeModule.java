package dev.sluice.broker;

import dev.sluice.faasbridge.api.http.BridgeOperations;
import dev.sluice.faasbridge.service.BridgeSettings;
import dev.sluice.faasbridge.service.FunctionBridge;
import dev.sluice.faasbridge.store.CatalogDefinitionStore;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.notify.service.SubscriberFunctions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * Wires the function-trigger bridge into the server: it polls through the in-process QueueClient (as tenants
 * see the queues: internal queues do not exist for it), keeps
 * functions and mappings in the replicated catalog, and serves {@code /v1/functions} and
 * {@code /v1/event-source-mappings}. Every node runs one; bridges on several nodes share a mapping's
 * messages the way any competing consumers of a queue do.
 */
final class BridgeModule implements AutoCloseable {
    private final Supplier<BridgeSettings> settings;
    /** Written once by the route mount (a start-up thread), read by notify's delivery workers. */
    private volatile FunctionBridge bridge;

    BridgeModule(Supplier<BridgeSettings> settings) {
        this.settings = settings;
    }

    /** Starts the bridge; must be mounted after {@link QueueModule#start}: it needs the in-process client built there. */
    RouteMount routes(QueueModule queues, InstantSource clock,
            java.util.function.UnaryOperator<dev.sluice.faasbridge.store.DefinitionStore> mappingQuotas) {
        return (Router router, RouteMount.Context context) -> {
            // The tenants' view: a mapping's event source and a failure destination are queues tenants name.
            bridge = FunctionBridge.start(queues.tenantClient(),
                    mappingQuotas.apply(new CatalogDefinitionStore(context.node().catalog())), context.vertx(),
                    context.meters(), settings.get(), clock, queues.edgeBilling());
        };
    }

    /** The bridge's /v1 operations, for the callers' accounts ({@code scopes}); after the routes are mounted. */
    dev.sluice.broker.api.rest.RestResource restResource(dev.sluice.broker.api.rest.RestAccountScopes scopes,
            java.util.function.ToLongFunction<String> mappingQuota) {
        return new dev.sluice.broker.api.rest.FunctionResource(new BridgeOperations(bridge.api()), scopes, mappingQuota,
                scope -> mappingsOf(new dev.sluice.faasbridge.core.AccountScope(scope.account(), scope.defaultAccount(), false))
                        .thenApply(java.util.Set::size));
    }

    /** The UUIDs of the mappings a scope sees; after the routes are mounted. */
    CompletableFuture<java.util.Set<String>> mappingsOf(dev.sluice.faasbridge.core.AccountScope scope) {
        return bridge.api().listMappings(scope, java.util.Optional.empty()).thenApply(mappings -> mappings.stream()
                .map(dev.sluice.faasbridge.core.EventSourceMapping::uuid).collect(java.util.stream.Collectors.toSet()));
    }

    /**
     * The functions notify's lambda / function subscriptions invoke: this node's bridge, by name, with
     * Lambda's SNS event; a success hands notify the invocation's bill when the cluster bills it in the log. Usable once the routes are mounted (the bridge starts there); before, an
     * invocation fails and is retried like any failed attempt.
     */
    SubscriberFunctions subscriberFunctions() {
        return new SubscriberFunctions() {
            @Override
            public CompletableFuture<SubscriberFunctions.Result> invoke(String functionName, String eventJson) {
                FunctionBridge running = bridge;
                if (running == null) {
                    return CompletableFuture.completedFuture(SubscriberFunctions.Result.failed("the function bridge is not started"));
                }
                // A failed invocation's bill (if billed in the log) goes nowhere: no delete settles it.
                return running.invoke(functionName, new FunctionEvent.Sns(eventJson)).thenApply(invocation ->
                        invocation.outcome() instanceof InvocationOutcome.Failed failed
                                ? SubscriberFunctions.Result.failed(failed.errorType() + ": " + failed.message())
                                : SubscriberFunctions.Result.succeeded(invocation.bill()));
            }

            /** Waiting for a reserved-concurrency permit and running are each bounded by the function's timeout. */
            @Override
            public Duration maxInvocationTime() {
                return Duration.ofSeconds(2L * FunctionDefinition.MAX_TIMEOUT_SECONDS);
            }
        };
    }

    /** What this node's bridge is doing; nothing before the routes are mounted (the bridge starts there). */
    dev.sluice.faasbridge.service.BridgeActivity activity() {
        FunctionBridge running = bridge;
        return running == null ? new dev.sluice.faasbridge.service.BridgeActivity(new java.util.TreeMap<>(), java.util.List.of())
                : running.activity();
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
