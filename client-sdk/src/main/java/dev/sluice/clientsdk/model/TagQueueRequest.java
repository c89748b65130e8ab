package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** TagQueue input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TagQueueRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("Tags") Map<String, String> tags) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public TagQueueRequest {
        tags = Copies.map(tags);
    }
}
