package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** DeleteMessage input. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeleteMessageRequest(
        @JsonProperty("QueueUrl") String queueUrl,
        @JsonProperty("ReceiptHandle") String receiptHandle) {
}
