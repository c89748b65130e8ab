package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** ListQueues input; every field is null when absent. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListQueuesRequest(
        @JsonProperty("QueueNamePrefix") String queueNamePrefix,
        @JsonProperty("NextToken") String nextToken,
        @JsonProperty("MaxResults") Integer maxResults) {
}
