package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** One entry of SendMessageBatch; fields as in {@link SendMessageRequest}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SendMessageBatchRequestEntry(
        @JsonProperty("Id") String id,
        @JsonProperty("MessageBody") String messageBody,
        @JsonProperty("DelaySeconds") Integer delaySeconds,
        @JsonProperty("MessageAttributes") Map<String, MessageAttributeValue> messageAttributes,
        @JsonProperty("MessageSystemAttributes") Map<String, MessageAttributeValue> messageSystemAttributes,
        @JsonProperty("MessageDeduplicationId") String messageDeduplicationId,
        @JsonProperty("MessageGroupId") String messageGroupId) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public SendMessageBatchRequestEntry {
        messageAttributes = Copies.map(messageAttributes);
        messageSystemAttributes = Copies.map(messageSystemAttributes);
    }
}
