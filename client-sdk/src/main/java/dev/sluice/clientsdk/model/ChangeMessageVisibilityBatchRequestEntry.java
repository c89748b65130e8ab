package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of ChangeMessageVisibilityBatch. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ChangeMessageVisibilityBatchRequestEntry(
        @JsonProperty("Id") String id,
        @JsonProperty("ReceiptHandle") String receiptHandle,
        @JsonProperty("VisibilityTimeout") Integer visibilityTimeout) {
}
