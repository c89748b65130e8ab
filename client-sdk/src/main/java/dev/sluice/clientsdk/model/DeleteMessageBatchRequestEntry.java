package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of DeleteMessageBatch. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DeleteMessageBatchRequestEntry(
        @JsonProperty("Id") String id,
        @JsonProperty("ReceiptHandle") String receiptHandle) {
}
