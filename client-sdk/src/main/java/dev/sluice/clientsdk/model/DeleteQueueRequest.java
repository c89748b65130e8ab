package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** DeleteQueue input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeleteQueueRequest(
        @JsonProperty("QueueUrl") String queueUrl) {
}
