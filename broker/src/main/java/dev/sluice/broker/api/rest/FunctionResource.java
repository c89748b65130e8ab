package dev.sluice.broker.api.rest;

import dev.sluice.clientsdk.LambdaError;
import dev.sluice.faasbridge.api.http.BridgeOperations;
import dev.sluice.faasbridge.core.AccountScope;
import dev.sluice.faasbridge.core.BridgeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /v1/functions}, {@code /v1/event-source-mappings} and {@code /v1/bridges}: the function bridge's
 * operations ({@link BridgeOperations}) adapted to the REST API. Their errors carry Lambda's exception
 * names in {@code code} (see {@link RestErrors}). Functions and mappings belong to an account: a key sees and changes
 * only its own account's; an operator lists every account's, and reaches one account's with {@code ?account=}.
 */
public final class FunctionResource implements RestResource {
    /** The operation a mapping quota guards. */
    private static final String CREATE_MAPPING = "createEventSourceMapping";

    private final BridgeOperations operations;
    private final RestAccountScopes scopes;
    private final java.util.function.ToLongFunction<String> mappingQuota;
    private final java.util.function.Function<AccountScope, CompletableFuture<Integer>> mappingCount;

    public FunctionResource(BridgeOperations operations, RestAccountScopes scopes) {
        this(operations, scopes, account -> 0, scope -> CompletableFuture.completedFuture(0));
    }

    /**
     * @param mappingQuota an account's event source mappings quota (0: no limit)
     * @param mappingCount the mappings a scope's account has now
     */
    public FunctionResource(BridgeOperations operations, RestAccountScopes scopes,
            java.util.function.ToLongFunction<String> mappingQuota,
            java.util.function.Function<AccountScope, CompletableFuture<Integer>> mappingCount) {
        this.operations = operations;
        this.scopes = scopes;
        this.mappingQuota = mappingQuota;
        this.mappingCount = mappingCount;
    }

    @Override
    public String tag() {
        return "functions";
    }

    @Override
    public List<RestOperation> operations() {
        return operations.operations().stream().map(this::adapt).toList();
    }

    private RestOperation adapt(BridgeOperations.Operation operation) {
        Map<Integer, String> responses = new LinkedHashMap<>();
        responses.put(operation.successStatus(), operation.successBody() == null ? "done" : operation.successBody());
        responses.put(400, "InvalidParameterValueException or InvalidRequestContentException");
        responses.put(404, "ResourceNotFoundException");
        responses.put(409, "ResourceConflictException");
        RestOperation.Body body = operation.requestBody() == null ? null
                : new RestOperation.Body("application/json", operation.requestBody(), true);
        return new RestOperation(operation.method(), operation.path(), operation.operationId(), operation.summary(), List.of(), body,
                responses, request -> {
                    Map<String, String> query = new LinkedHashMap<>();
                    request.query().forEach((name, values) -> query.put(name, values.isEmpty() ? null : values.get(0)));
                    AccountScope scope = scopes.of(request);
                    BridgeOperations.Call call = new BridgeOperations.Call(request.pathParameters(), query, request.body(), scope);
                    CompletableFuture<Object> allowed = operation.operationId().equals(CREATE_MAPPING)
                            ? withinMappingQuota(scope) : CompletableFuture.completedFuture(null);
                    return allowed.thenCompose(ignored -> operation.handler().apply(call))
                            .thenApply(json -> json == null ? RestResponse.noContent().withStatus(operation.successStatus())
                                    : RestResponse.json(operation.successStatus(), json));
                });
    }

    /**
     * Completes when the scope's account has fewer event source mappings than its quota; else fails with Lambda's
     * ResourceConflictException (409) before anything is stored. Counted before the create, so two creates racing on
     * two nodes may both pass here: the store's claim of the mapping's slot in one catalog apply
     * ({@code MappingSlotStore}, once every node runs feature level 2) refuses all but the quota's.
     */
    private CompletableFuture<Object> withinMappingQuota(AccountScope scope) {
        long quota = mappingQuota.applyAsLong(scope.account());
        if (quota <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return mappingCount.apply(scope).thenApply(count -> {
            if (count >= quota) {
                throw new BridgeException(LambdaError.RESOURCE_CONFLICT, "Account " + scope.account() + " already has "
                        + count + " event source mappings, its quota; delete one or ask the operator to raise it.");
            }
            return null;
        });
    }
}
