package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** ListDeadLetterSourceQueues input; paging fields are null when absent. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListDeadLetterSourceQueuesRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("NextToken") String nextToken,
        @JsonProperty("MaxResults") Integer maxResults) {
}
