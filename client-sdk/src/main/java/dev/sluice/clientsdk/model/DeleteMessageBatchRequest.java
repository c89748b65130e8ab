package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** DeleteMessageBatch input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeleteMessageBatchRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("Entries") List<DeleteMessageBatchRequestEntry> entries) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public DeleteMessageBatchRequest {
        entries = Copies.list(entries);
    }
}
