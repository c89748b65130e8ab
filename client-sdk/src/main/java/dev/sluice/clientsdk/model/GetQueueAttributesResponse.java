package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** GetQueueAttributes output. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GetQueueAttributesResponse(
        @JsonProperty("Attributes") Map<String, String> attributes) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public GetQueueAttributesResponse {
        attributes = Copies.map(attributes);
    }
}
