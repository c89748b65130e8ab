package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** SendMessageBatch output: every entry is in exactly one of the two lists. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SendMessageBatchResponse(
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Successful") List<SendMessageBatchResultEntry> successful,
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("Failed") List<BatchResultErrorEntry> failed) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public SendMessageBatchResponse {
        successful = Copies.list(successful);
        failed = Copies.list(failed);
    }
}
