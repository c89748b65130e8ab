package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** ChangeMessageVisibilityBatch input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ChangeMessageVisibilityBatchRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("Entries") List<ChangeMessageVisibilityBatchRequestEntry> entries) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public ChangeMessageVisibilityBatchRequest {
        entries = Copies.list(entries);
    }
}
