package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A failed entry of a batch action: its {@code Id}, the error's legacy code, a message and who is at fault. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BatchResultErrorEntry(
        @JsonProperty("Id") String id,
        @JsonProperty("SenderFault") boolean senderFault,
        @JsonProperty("Code") String code,
        @JsonProperty("Message") String message) {
}
