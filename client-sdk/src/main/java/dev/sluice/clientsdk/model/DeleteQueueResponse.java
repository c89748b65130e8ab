package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** DeleteQueue output (empty). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeleteQueueResponse() {
}
