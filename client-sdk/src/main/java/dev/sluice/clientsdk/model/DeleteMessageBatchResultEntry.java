package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A deleted entry of DeleteMessageBatch. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeleteMessageBatchResultEntry(
        @JsonProperty("Id") String id) {
}
