package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A changed entry of ChangeMessageVisibilityBatch. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ChangeMessageVisibilityBatchResultEntry(
        @JsonProperty("Id") String id) {
}
