package dev.sluice.broker.api.rest;

import dev.sluice.faasbridge.api.http.BridgeOperations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/functions}, {@code /v1/event-source-mappings} and {@code /v1/bridges}: the function bridge's
 * operations ({@link BridgeOperations}) adapted to the REST API. Their errors carry Lambda's exception
 * names in {@code code} (see {@link RestErrors}). Functions and mappings belong to an account: a key sees and changes
 * only its own account's; an operator lists every account's, and reaches one account's with {@code ?account=}.
 */
public final class FunctionResource implements RestResource {
    private final BridgeOperations operations;
    private final RestAccountScopes scopes;

    public FunctionResource(BridgeOperations operations, RestAccountScopes scopes) {
        this.operations = operations;
        this.scopes = scopes;
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
                    return operation.handler().apply(new BridgeOperations.Call(request.pathParameters(), query,
                            request.body(), scopes.of(request)))
                            .thenApply(json -> json == null ? RestResponse.noContent().withStatus(operation.successStatus())
                                    : RestResponse.json(operation.successStatus(), json));
                });
    }
}
