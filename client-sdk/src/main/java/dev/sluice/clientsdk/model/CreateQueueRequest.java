package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** CreateQueue input. {@code attributes} and {@code tags} are empty when absent. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CreateQueueRequest(
        @JsonProperty("QueueName") String queueName,
        @JsonProperty("Attributes") Map<String, String> attributes,
        @JsonProperty("tags") Map<String, String> tags) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public CreateQueueRequest {
        attributes = Copies.map(attributes);
        tags = Copies.map(tags);
    }
}
