package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** GetQueueUrl input; {@code queueOwnerAwsAccountId} is null when absent. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GetQueueUrlRequest(
        @JsonProperty("QueueName") String queueName,
        @JsonProperty("QueueOwnerAWSAccountId") String queueOwnerAwsAccountId) {
}
