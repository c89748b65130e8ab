package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** PurgeQueue input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PurgeQueueRequest(
        @JsonProperty("QueueUrl") String queueUrl) {
}
