package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** StartMessageMoveTask input; {@code destinationArn} null means back to the original source queues. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StartMessageMoveTaskRequest(
        @JsonProperty("SourceArn") String sourceArn,
        @JsonProperty("DestinationArn") String destinationArn,
        @JsonProperty("MaxNumberOfMessagesPerSecond") Integer maxNumberOfMessagesPerSecond) {
}
