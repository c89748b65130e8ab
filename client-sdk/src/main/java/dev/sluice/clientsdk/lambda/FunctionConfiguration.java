package dev.sluice.clientsdk.lambda;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A function as the REST API answers it.
 *
 * @param invokeUrl null for an in-process handler
 * @param handler null for an HTTP function
 * @param timeout seconds
 * @param reservedConcurrentExecutions null when unlimited
 * @param lastModified ISO-8601, as Lambda's GetFunction answers it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FunctionConfiguration(
        @JsonProperty("FunctionName") String functionName,
        @JsonProperty("FunctionArn") String functionArn,
        @JsonProperty("InvokeUrl") String invokeUrl,
        @JsonProperty("Handler") String handler,
        @JsonProperty("Timeout") int timeout,
        @JsonProperty("ReservedConcurrentExecutions") Integer reservedConcurrentExecutions,
        @JsonProperty("LastModified") String lastModified) {
}
