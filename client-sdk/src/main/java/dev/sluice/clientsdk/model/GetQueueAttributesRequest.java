package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** GetQueueAttributes input; {@code attributeNames} may hold {@code All}; empty means none. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GetQueueAttributesRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("AttributeNames") List<String> attributeNames) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public GetQueueAttributesRequest {
        attributeNames = Copies.list(attributeNames);
    }
}
