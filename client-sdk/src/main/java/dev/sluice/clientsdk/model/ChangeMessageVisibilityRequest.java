package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** ChangeMessageVisibility input; {@code visibilityTimeout} is null when absent (a MissingParameter). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ChangeMessageVisibilityRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("ReceiptHandle") String receiptHandle,
        @JsonProperty("VisibilityTimeout") Integer visibilityTimeout) {
}
