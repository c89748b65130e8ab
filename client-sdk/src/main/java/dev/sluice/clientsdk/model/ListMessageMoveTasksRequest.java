package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** ListMessageMoveTasks input; {@code maxResults} (1..10) is null when absent. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListMessageMoveTasksRequest(
        @JsonProperty("SourceArn") String sourceArn,
        @JsonProperty("MaxResults") Integer maxResults) {
}
