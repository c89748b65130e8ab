package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** CancelMessageMoveTask input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CancelMessageMoveTaskRequest(
        @JsonProperty("TaskHandle") String taskHandle) {
}
