package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** ReceiveMessage output; empty when no message was available. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReceiveMessageResponse(
        @JsonProperty("Messages") List<Message> messages) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public ReceiveMessageResponse {
        messages = Copies.list(messages);
    }
}
