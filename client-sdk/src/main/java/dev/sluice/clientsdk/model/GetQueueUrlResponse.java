package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** GetQueueUrl output. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GetQueueUrlResponse(
        @JsonProperty("QueueUrl") String queueUrl) {
}
