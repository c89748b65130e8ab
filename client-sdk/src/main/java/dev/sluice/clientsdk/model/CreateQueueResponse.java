package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** CreateQueue output. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CreateQueueResponse(
        @JsonProperty("QueueUrl") String queueUrl) {
}
