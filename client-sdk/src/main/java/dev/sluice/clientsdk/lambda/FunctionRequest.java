package dev.sluice.clientsdk.lambda;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /v1/functions} (create) and {@code PUT /v1/functions/{name}} (update). Null
 * fields are not sent: Lambda's default on create (Timeout 3 s), unchanged on update. A function has
 * exactly one of {@code invokeUrl} (an HTTP function) and {@code handler} (an in-process Java handler).
 *
 * @param functionName 1-64 of {@code A-Za-z0-9_-}; required on create, null on update (the path names it)
 * @param timeout seconds, 1-900
 * @param reservedConcurrentExecutions invocations at once on one bridge, 1-1000, null for no limit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunctionRequest(
        @JsonProperty("FunctionName") String functionName,
        @JsonProperty("InvokeUrl") String invokeUrl,
        @JsonProperty("Handler") String handler,
        @JsonProperty("Timeout") Integer timeout,
        @JsonProperty("ReservedConcurrentExecutions") Integer reservedConcurrentExecutions) {

    /** A new HTTP function with Lambda's default timeout. */
    public static FunctionRequest http(String functionName, String invokeUrl) {
        return new FunctionRequest(functionName, invokeUrl, null, null, null);
    }

    public FunctionRequest withTimeout(int seconds) {
        return new FunctionRequest(functionName, invokeUrl, handler, seconds, reservedConcurrentExecutions);
    }
}
