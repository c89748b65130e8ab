package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** A received message. {@code attributes} holds the requested system attributes (SentTimestamp, ApproximateReceiveCount, MessageGroupId, SequenceNumber, ...); MD5 fields are null when there is nothing to digest. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Message(
        @JsonProperty("MessageId") String messageId,
        @JsonProperty("ReceiptHandle") String receiptHandle,
        @JsonProperty("MD5OfBody") String md5OfBody,
        @JsonProperty("Body") String body,
        @JsonProperty("Attributes") Map<String, String> attributes,
        @JsonProperty("MD5OfMessageAttributes") String md5OfMessageAttributes,
        @JsonProperty("MessageAttributes") Map<String, MessageAttributeValue> messageAttributes) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public Message {
        attributes = Copies.map(attributes);
        messageAttributes = Copies.map(messageAttributes);
    }
}
