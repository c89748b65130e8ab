package dev.sluice.faasbridge.core;

/**
 * A create or update of a function as the API receives it: absent fields are null (defaults on create,
 * unchanged on update).
 */
public record FunctionRequest(String functionName, String invokeUrl, String handler, Integer timeoutSeconds,
        Integer reservedConcurrency) {

    /** The function this request creates. */
    public FunctionDefinition create(long nowMillis) {
        return new FunctionDefinition(functionName, invokeUrl, handler,
                timeoutSeconds == null ? FunctionDefinition.DEFAULT_TIMEOUT_SECONDS : timeoutSeconds, reservedConcurrency, nowMillis);
    }

    /** {@code current} with this request's fields applied; giving a URL replaces a handler and vice versa. */
    public FunctionDefinition update(FunctionDefinition current, long nowMillis) {
        boolean target = invokeUrl != null || handler != null;
        return new FunctionDefinition(current.name(), target ? invokeUrl : current.invokeUrl(), target ? handler : current.handler(),
                timeoutSeconds == null ? current.timeoutSeconds() : timeoutSeconds,
                reservedConcurrency == null ? current.reservedConcurrency() : reservedConcurrency, nowMillis);
    }
}
