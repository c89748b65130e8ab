package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** DeleteMessage output (empty). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeleteMessageResponse() {
}
