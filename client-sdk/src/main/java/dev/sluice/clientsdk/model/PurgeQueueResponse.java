package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** PurgeQueue output (empty). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PurgeQueueResponse() {
}
