package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** SendMessage output. MD5 fields are null when there is nothing to digest; {@code sequenceNumber} is set for FIFO queues only. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SendMessageResponse(
        @JsonProperty("MD5OfMessageBody") String md5OfMessageBody,
        @JsonProperty("MD5OfMessageAttributes") String md5OfMessageAttributes,
        @JsonProperty("MD5OfMessageSystemAttributes") String md5OfMessageSystemAttributes,
        @JsonProperty("MessageId") String messageId,
        @JsonProperty("SequenceNumber") String sequenceNumber) {
}
