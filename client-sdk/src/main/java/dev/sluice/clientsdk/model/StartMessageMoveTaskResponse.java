package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** StartMessageMoveTask output. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StartMessageMoveTaskResponse(
        @JsonProperty("TaskHandle") String taskHandle) {
}
