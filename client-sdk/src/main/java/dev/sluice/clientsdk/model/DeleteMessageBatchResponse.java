package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** DeleteMessageBatch output: every entry is in exactly one of the two lists. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeleteMessageBatchResponse(
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Successful") List<DeleteMessageBatchResultEntry> successful,
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Failed") List<BatchResultErrorEntry> failed) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public DeleteMessageBatchResponse {
        successful = Copies.list(successful);
        failed = Copies.list(failed);
    }
}
