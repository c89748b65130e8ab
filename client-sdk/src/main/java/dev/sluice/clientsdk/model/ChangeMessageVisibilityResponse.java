package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** ChangeMessageVisibility output (empty). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ChangeMessageVisibilityResponse() {
}
