package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** SendMessageBatch input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SendMessageBatchRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("Entries") List<SendMessageBatchRequestEntry> entries) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public SendMessageBatchRequest {
        entries = Copies.list(entries);
    }
}
