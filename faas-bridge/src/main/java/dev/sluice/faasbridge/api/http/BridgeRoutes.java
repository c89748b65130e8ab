package dev.sluice.faasbridge.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.faasbridge.core.BridgeError;
import dev.sluice.faasbridge.core.BridgeException;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.service.BridgeApi;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/functions} and {@code /v1/event-source-mappings}: create (POST), list and read (GET), update
 * (PUT), delete (DELETE), with the status codes of Lambda's API (202 for mapping writes, 204 for a deleted
 * function). Handlers never block: they chain on {@link BridgeApi}'s futures. Request bodies are read by
 * the server's body handler before these routes run.
 */
public final class BridgeRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeRoutes.class);
    public static final String FUNCTIONS = "/v1/functions";
    public static final String MAPPINGS = "/v1/event-source-mappings";
    /** Heartbeats of the bridges serving this server's mappings (standalone bridges use them to split MaximumConcurrency). */
    public static final String BRIDGES = "/v1/bridges";
    private static final long MAX_TTL_MILLIS = 3_600_000;

    private final BridgeApi api;

    public BridgeRoutes(BridgeApi api) {
        this.api = api;
    }

    public void mount(Router router) {
        router.post(FUNCTIONS).handler(context -> respond(context, 201,
                call(() -> api.createFunction(BridgeJsonCodec.functionRequest(context.body().asString())))
                        .thenApply(function -> BridgeJsonCodec.function(function, api.functionArn(function.name())))));
        router.get(FUNCTIONS).handler(context -> respond(context, 200, api.listFunctions().thenApply(all ->
                BridgeJsonCodec.list("Functions", all, function -> BridgeJsonCodec.function(function, api.functionArn(function.name()))))));
        router.get(FUNCTIONS + "/:name").handler(context -> respond(context, 200, api.getFunction(context.pathParam("name"))
                .thenApply(function -> BridgeJsonCodec.function(function, api.functionArn(function.name())))));
        router.put(FUNCTIONS + "/:name").handler(context -> respond(context, 200,
                call(() -> api.updateFunction(context.pathParam("name"), BridgeJsonCodec.functionRequest(context.body().asString())))
                        .thenApply(function -> BridgeJsonCodec.function(function, api.functionArn(function.name())))));
        router.delete(FUNCTIONS + "/:name").handler(context -> respond(context, 204,
                api.deleteFunction(context.pathParam("name")).thenApply(ignored -> null)));

        router.post(MAPPINGS).handler(context -> respond(context, 202,
                call(() -> api.createMapping(BridgeJsonCodec.mappingRequest(context.body().asString())))
                        .thenApply(mapping -> mappingJson(mapping, "Creating"))));
        router.get(MAPPINGS).handler(context -> respond(context, 200,
                api.listMappings(Optional.ofNullable(BridgeJsonCodec.functionName(context.queryParams().get("FunctionName"))))
                        .thenApply(all -> BridgeJsonCodec.list("EventSourceMappings", all, mapping -> mappingJson(mapping, mapping.state())))));
        router.get(MAPPINGS + "/:uuid").handler(context -> respond(context, 200, api.getMapping(context.pathParam("uuid"))
                .thenApply(mapping -> mappingJson(mapping, mapping.state()))));
        router.put(MAPPINGS + "/:uuid").handler(context -> respond(context, 202,
                call(() -> api.updateMapping(context.pathParam("uuid"), BridgeJsonCodec.mappingRequest(context.body().asString())))
                        .thenApply(mapping -> mappingJson(mapping, "Updating"))));
        router.delete(MAPPINGS + "/:uuid").handler(context -> respond(context, 202, api.deleteMapping(context.pathParam("uuid"))
                .thenApply(mapping -> mappingJson(mapping, "Deleting"))));
        mountBridges(router);
    }

    private void mountBridges(Router router) {
        router.put(BRIDGES + "/:id").handler(context -> respond(context, 204,
                call(() -> api.heartbeat(bridgeId(context))).thenApply(ignored -> null)));
        router.delete(BRIDGES + "/:id").handler(context -> respond(context, 204,
                call(() -> api.forgetBridge(bridgeId(context))).thenApply(ignored -> null)));
        router.get(BRIDGES).handler(context -> respond(context, 200, call(() -> api.liveBridges(ttlMillis(context)))
                .thenApply(BridgeJsonCodec::bridges)));
    }

    private static String bridgeId(RoutingContext context) {
        String id = context.pathParam("id");
        if (!id.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new BridgeException(BridgeError.INVALID_PARAMETER_VALUE, "A bridge id is 1 to 128 of A-Za-z0-9_.-");
        }
        return id;
    }

    private static long ttlMillis(RoutingContext context) {
        try {
            long ttl = Long.parseLong(String.valueOf(context.queryParams().get("ttlMillis")));
            if (ttl >= 1 && ttl <= MAX_TTL_MILLIS) {
                return ttl;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BridgeException(BridgeError.INVALID_PARAMETER_VALUE, "ttlMillis must be 1.." + MAX_TTL_MILLIS);
    }

    private ObjectNode mappingJson(EventSourceMapping mapping, String state) {
        return BridgeJsonCodec.mapping(mapping, api.functionArn(mapping.functionName()), state);
    }

    /** Runs a step that may throw while decoding the request, as a future. */
    private static <T> CompletableFuture<T> call(java.util.function.Supplier<CompletableFuture<T>> step) {
        try {
            return step.get();
        } catch (BridgeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void respond(RoutingContext context, int status, CompletableFuture<ObjectNode> result) {
        result.whenComplete((body, error) -> context.vertx().runOnContext(ignored -> {
            if (error == null) {
                context.response().setStatusCode(status);
                if (body == null) {
                    context.response().end();
                } else {
                    context.response().putHeader("Content-Type", "application/json").end(body.toString());
                }
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            BridgeException failure = cause instanceof BridgeException bridge ? bridge
                    : new BridgeException(BridgeError.SERVICE_EXCEPTION, "The bridge could not complete the request: " + cause);
            if (!(cause instanceof BridgeException)) {
                LOG.warn("{} {} failed", context.request().method(), context.request().path(), cause);
            }
            context.response().setStatusCode(failure.error().httpStatus())
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-Amzn-ErrorType", failure.error().code())
                    .end(BridgeJsonCodec.error(failure.error(), failure.getMessage()).toString());
        }));
    }
}
