package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** CancelMessageMoveTask output. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CancelMessageMoveTaskResponse(
        @JsonProperty("ApproximateNumberOfMessagesMoved") Long approximateNumberOfMessagesMoved) {
}
