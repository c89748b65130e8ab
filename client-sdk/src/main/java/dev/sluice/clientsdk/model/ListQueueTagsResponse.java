package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** ListQueueTags output. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListQueueTagsResponse(
        @JsonProperty("Tags") Map<String, String> tags) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public ListQueueTagsResponse {
        tags = Copies.map(tags);
    }
}
