package dev.sluice.broker.api.rest;

import dev.sluice.faasbridge.api.http.BridgeOperations;
import dev.sluice.faasbridge.core.AccountScope;
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
    private static final java.util.regex.Pattern ACCOUNT = java.util.regex.Pattern.compile("[0-9]{12}");

    private final BridgeOperations operations;
    private final String defaultAccount;
    private final java.util.function.Predicate<dev.sluice.notify.core.Caller> operators;

    /**
     * @param defaultAccount the account of callers the server names none for, and of functions stored before accounts
     * @param operators whether a caller is an operator
     */
    public FunctionResource(BridgeOperations operations, String defaultAccount,
            java.util.function.Predicate<dev.sluice.notify.core.Caller> operators) {
        this.operations = operations;
        this.defaultAccount = defaultAccount;
        this.operators = operators;
    }

    @Override
    public String tag() {
        return "functions";
    }

    @Override
    public List<RestOperation> operations() {
        return operations.operations().stream().map(this::adapt).toList();
    }

    /** Whose functions a request reaches: the caller's account; an operator's {@code ?account=}, or every account's. */
    private AccountScope scope(RestRequest request) {
        String own = request.caller().account(defaultAccount);
        if (!operators.test(request.caller())) {
            return new AccountScope(own, defaultAccount, false);
        }
        String given = request.query("account");
        if (given != null && ACCOUNT.matcher(given).matches()) {
            return new AccountScope(given, defaultAccount, false);
        }
        return new AccountScope(own, defaultAccount, given == null);
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
                            request.body(), scope(request)))
                            .thenApply(json -> json == null ? RestResponse.noContent().withStatus(operation.successStatus())
                                    : RestResponse.json(operation.successStatus(), json));
                });
    }
}
