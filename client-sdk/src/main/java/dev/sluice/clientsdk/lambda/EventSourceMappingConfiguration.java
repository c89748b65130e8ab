package dev.sluice.clientsdk.lambda;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An event source mapping as the REST API answers it (Lambda's EventSourceMappingConfiguration).
 *
 * @param scalingConfig null when MaximumConcurrency is unset
 * @param filterCriteria null when there are no filters
 * @param lastModified seconds since the epoch, as Lambda answers it
 * @param state {@code Enabled} or {@code Disabled}; {@code Creating}, {@code Updating} or {@code Deleting} in
 *     the answer of a create, update or delete
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventSourceMappingConfiguration(
        @JsonProperty("UUID") String uuid,
        @JsonProperty("FunctionName") String functionName,
        @JsonProperty("FunctionArn") String functionArn,
        @JsonProperty("EventSourceArn") String eventSourceArn,
        @JsonProperty("BatchSize") int batchSize,
        @JsonProperty("MaximumBatchingWindowInSeconds") int maximumBatchingWindowInSeconds,
        @JsonProperty("ScalingConfig") ScalingConfig scalingConfig,
        @JsonProperty("FunctionResponseTypes") List<String> functionResponseTypes,
        @JsonProperty("FilterCriteria") FilterCriteria filterCriteria,
        @JsonProperty("State") String state,
        @JsonProperty("StateTransitionReason") String stateTransitionReason,
        @JsonProperty("LastModified") double lastModified) {
}
