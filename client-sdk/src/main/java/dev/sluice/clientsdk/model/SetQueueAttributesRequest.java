package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** SetQueueAttributes input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SetQueueAttributesRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("Attributes") Map<String, String> attributes) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public SetQueueAttributesRequest {
        attributes = Copies.map(attributes);
    }
}
