package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** UntagQueue input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record UntagQueueRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("TagKeys") List<String> tagKeys) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public UntagQueueRequest {
        tagKeys = Copies.list(tagKeys);
    }
}
