package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** SendMessage input. Optional scalars are null when absent; attribute maps are empty. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SendMessageRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("MessageBody") String messageBody,
        @JsonProperty("DelaySeconds") Integer delaySeconds,
        @JsonProperty("MessageAttributes") Map<String, MessageAttributeValue> messageAttributes,
        @JsonProperty("MessageSystemAttributes") Map<String, MessageAttributeValue> messageSystemAttributes,
        @JsonProperty("MessageDeduplicationId") String messageDeduplicationId,
        @JsonProperty("MessageGroupId") String messageGroupId) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public SendMessageRequest {
        messageAttributes = Copies.map(messageAttributes);
        messageSystemAttributes = Copies.map(messageSystemAttributes);
    }
}
