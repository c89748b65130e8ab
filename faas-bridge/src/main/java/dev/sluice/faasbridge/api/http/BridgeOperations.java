package dev.sluice.faasbridge.api.http;

import dev.sluice.clientsdk.LambdaError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.faasbridge.core.AccountScope;
import dev.sluice.faasbridge.core.BridgeException;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.service.BridgeApi;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The bridge's REST operations as plain handlers, for the server's REST API to mount under {@code /v1}
 * (broker adapts them; this module sees no server types): functions, event source mappings and the
 * bridges' heartbeats, with the status codes of Lambda's API (202 for mapping writes, 204 for a deleted
 * function). Handlers never block; expected failures complete with a {@link BridgeException}.
 */
public final class BridgeOperations {
    public static final String FUNCTIONS = "/functions";
    public static final String MAPPINGS = "/event-source-mappings";
    public static final String BRIDGES = "/bridges";
    private static final long MAX_TTL_MILLIS = 3_600_000;

    /**
     * What a handler gets: path parameters, the first value of each query parameter, the body's bytes, and whose
     * functions and mappings the caller sees.
     */
    public record Call(Map<String, String> path, Map<String, String> query, byte[] body, AccountScope scope) {
    }

    /**
     * One operation.
     *
     * @param path          OpenAPI path template below {@code /v1}
     * @param successStatus the status of a successful answer; {@code handler} completes with its JSON body, or
     *                      null for none
     */
    public record Operation(String method, String path, String operationId, String summary, String requestBody,
            int successStatus, String successBody, Function<Call, CompletableFuture<ObjectNode>> handler) {
    }

    private final BridgeApi api;

    public BridgeOperations(BridgeApi api) {
        this.api = api;
    }

    public List<Operation> operations() {
        String function = "{FunctionName, FunctionArn, InvokeUrl | Handler, Timeout, ReservedConcurrentExecutions, LastModified}";
        String mapping = "{UUID, FunctionName, FunctionArn, EventSourceArn, BatchSize, MaximumBatchingWindowInSeconds, "
                + "ScalingConfig, FunctionResponseTypes, FilterCriteria, State, LastModified}";
        return List.of(
                new Operation("POST", FUNCTIONS, "createFunction", "Creates a function (an HTTP invoke URL or an in-process handler)",
                        "{FunctionName, InvokeUrl | Handler, Timeout, ReservedConcurrentExecutions}", 201, function,
                        call -> attempt(() -> api.createFunction(call.scope(), BridgeJsonCodec.functionRequest(call.body()))).thenApply(this::function)),
                new Operation("GET", FUNCTIONS, "listFunctions", "Lists functions", null, 200, "{Functions: [...]}",
                        call -> api.listFunctions(call.scope()).thenApply(all -> BridgeJsonCodec.list("Functions", all, this::function))),
                new Operation("GET", FUNCTIONS + "/{name}", "getFunction", "Reads a function", null, 200, function,
                        call -> api.getFunction(call.scope(), functionName(call)).thenApply(this::function)),
                new Operation("PUT", FUNCTIONS + "/{name}", "updateFunction", "Changes the given fields of a function",
                        "{InvokeUrl | Handler, Timeout, ReservedConcurrentExecutions}", 200, function,
                        call -> attempt(() -> api.updateFunction(call.scope(), functionName(call), BridgeJsonCodec.functionRequest(call.body())))
                                .thenApply(this::function)),
                new Operation("DELETE", FUNCTIONS + "/{name}", "deleteFunction", "Deletes a function (its mappings stay, idle)",
                        null, 204, null, call -> api.deleteFunction(call.scope(), functionName(call)).thenApply(ignored -> null)),
                new Operation("POST", MAPPINGS, "createEventSourceMapping", "Creates an event source mapping (queue → function)",
                        "Lambda's CreateEventSourceMapping fields", 202, mapping,
                        call -> attempt(() -> api.createMapping(call.scope(), BridgeJsonCodec.mappingRequest(call.body())))
                                .thenApply(created -> mapping(created, "Creating"))),
                new Operation("GET", MAPPINGS, "listEventSourceMappings", "Lists mappings, of one function with ?FunctionName=",
                        null, 200, "{EventSourceMappings: [...]}",
                        call -> api.listMappings(call.scope(), Optional.ofNullable(BridgeJsonCodec.functionName(call.query().get("FunctionName"))))
                                .thenApply(all -> BridgeJsonCodec.list("EventSourceMappings", all, item -> mapping(item, item.state())))),
                new Operation("GET", MAPPINGS + "/{uuid}", "getEventSourceMapping", "Reads a mapping", null, 200, mapping,
                        call -> api.getMapping(call.scope(), mappingUuid(call)).thenApply(found -> mapping(found, found.state()))),
                new Operation("PUT", MAPPINGS + "/{uuid}", "updateEventSourceMapping", "Changes the given fields of a mapping",
                        "Lambda's UpdateEventSourceMapping fields", 202, mapping,
                        call -> attempt(() -> api.updateMapping(call.scope(), mappingUuid(call), BridgeJsonCodec.mappingRequest(call.body())))
                                .thenApply(updated -> mapping(updated, "Updating"))),
                new Operation("DELETE", MAPPINGS + "/{uuid}", "deleteEventSourceMapping", "Deletes a mapping", null, 202, mapping,
                        call -> api.deleteMapping(call.scope(), mappingUuid(call)).thenApply(deleted -> mapping(deleted, "Deleting"))),
                new Operation("PUT", BRIDGES + "/{id}", "bridgeHeartbeat", "A bridge says it is alive (bridges split MaximumConcurrency)",
                        null, 204, null, call -> attempt(() -> api.heartbeat(bridgeId(call))).thenApply(ignored -> null)),
                new Operation("DELETE", BRIDGES + "/{id}", "forgetBridge", "A stopping bridge leaves", null, 204, null,
                        call -> attempt(() -> api.forgetBridge(bridgeId(call))).thenApply(ignored -> null)),
                new Operation("GET", BRIDGES, "listLiveBridges", "The bridges heard from within ?ttlMillis=", null, 200,
                        "{Bridges: [id, ...]}", call -> attempt(() -> api.liveBridges(ttlMillis(call))).thenApply(BridgeJsonCodec::bridges)));
    }

    /** A function as Lambda shows it: its own name, its account in its ARN. */
    private ObjectNode function(FunctionDefinition function) {
        return BridgeJsonCodec.function(function.withName(AccountScope.bare(function.name())),
                api.functionArn(function.name()));
    }

    /**
     * A mapping as Lambda describes it, with {@code LastProcessingResult} and (Sluice's own) {@code RecentErrors}: the
     * last problems this node's bridge met polling it, newest first.
     */
    private ObjectNode mapping(EventSourceMapping mapping, String state) {
        ObjectNode out = BridgeJsonCodec.mapping(mapping.withFunctionName(AccountScope.bare(mapping.functionName())),
                api.functionArn(mapping.functionName()), state);
        dev.sluice.faasbridge.service.RecentErrors errors = api.recentErrors(mapping.uuid());
        out.put("LastProcessingResult", errors.lastProcessingResult());
        com.fasterxml.jackson.databind.node.ArrayNode recent = out.putArray("RecentErrors");
        errors.entries().forEach(entry -> recent.addObject().put("At", entry.at().toString()).put("Message", entry.message()));
        return out;
    }

    /** The function named in the path (a name or a function ARN), checked before it reaches the store's bounded keys. */
    private static String functionName(Call call) {
        return FunctionDefinition.checkName(BridgeJsonCodec.functionName(call.path().get("name")));
    }

    /** The mapping UUID in the path: the 36 characters of a UUID, as this bridge creates them. */
    private static String mappingUuid(Call call) {
        String uuid = call.path().get("uuid");
        if (uuid == null || !uuid.matches("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")) {
            throw new BridgeException(LambdaError.INVALID_PARAMETER_VALUE, "An event source mapping UUID is a UUID, "
                    + "e.g. 6d6b7f2e-1c1a-4d2f-9a57-5b1f0c2b7e3d");
        }
        return uuid;
    }

    private static String bridgeId(Call call) {
        String id = call.path().get("id");
        if (id == null || !id.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new BridgeException(LambdaError.INVALID_PARAMETER_VALUE, "A bridge id is 1 to 128 of A-Za-z0-9_.-");
        }
        return id;
    }

    private static long ttlMillis(Call call) {
        try {
            long ttl = Long.parseLong(String.valueOf(call.query().get("ttlMillis")));
            if (ttl >= 1 && ttl <= MAX_TTL_MILLIS) {
                return ttl;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BridgeException(LambdaError.INVALID_PARAMETER_VALUE, "ttlMillis must be 1.." + MAX_TTL_MILLIS);
    }

    /** Runs a step that may throw while decoding the request, as a future. */
    private static <T> CompletableFuture<T> attempt(java.util.function.Supplier<CompletableFuture<T>> step) {
        try {
            return step.get();
        } catch (BridgeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
