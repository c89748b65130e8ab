package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** ReceiveMessage input. Optional scalars are null when absent (queue defaults apply); name lists are empty when absent. {@code attributeNames} is the deprecated spelling of {@code messageSystemAttributeNames}: both select system attributes. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReceiveMessageRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("AttributeNames") List<String> attributeNames,
        @JsonProperty("MessageSystemAttributeNames") List<String> messageSystemAttributeNames,
        @JsonProperty("MessageAttributeNames") List<String> messageAttributeNames,
        @JsonProperty("MaxNumberOfMessages") Integer maxNumberOfMessages,
        @JsonProperty("VisibilityTimeout") Integer visibilityTimeout,
        @JsonProperty("WaitTimeSeconds") Integer waitTimeSeconds,
        @JsonProperty("ReceiveRequestAttemptId") String receiveRequestAttemptId) {

    /** Absent collections become empty, and all collections are copied unmodifiable. */
    public ReceiveMessageRequest {
        attributeNames = Copies.list(attributeNames);
        messageSystemAttributeNames = Copies.list(messageSystemAttributeNames);
        messageAttributeNames = Copies.list(messageAttributeNames);
    }
}
