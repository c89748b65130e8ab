package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** ListQueueTags input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListQueueTagsRequest(
        @JsonProperty("QueueUrl") String queueUrl) {
}
