package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A sent entry of SendMessageBatch; fields as in {@link SendMessageResponse}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SendMessageBatchResultEntry(
        @JsonProperty("Id") String id,
        @JsonProperty("MessageId") String messageId,
        @JsonProperty("MD5OfMessageBody") String md5OfMessageBody,
        @JsonProperty("MD5OfMessageAttributes") String md5OfMessageAttributes,
        @JsonProperty("MD5OfMessageSystemAttributes") String md5OfMessageSystemAttributes,
        @JsonProperty("SequenceNumber") String sequenceNumber) {
}
