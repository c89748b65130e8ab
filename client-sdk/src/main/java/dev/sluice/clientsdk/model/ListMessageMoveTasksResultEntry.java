package dev.sluice.clientsdk.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One message move task. {@code status} is RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED; {@code taskHandle} is set only while RUNNING; {@code startedTimestamp} is epoch milliseconds. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ListMessageMoveTasksResultEntry(
        @JsonProperty("TaskHandle") String taskHandle,
        @JsonProperty("Status") String status,
        @JsonProperty("SourceArn") String sourceArn,
        @JsonProperty("DestinationArn") String destinationArn,
        @JsonProperty("MaxNumberOfMessagesPerSecond") Integer maxNumberOfMessagesPerSecond,
        @JsonProperty("ApproximateNumberOfMessagesMoved") Long approximateNumberOfMessagesMoved,
        @JsonProperty("ApproximateNumberOfMessagesToMove") Long approximateNumberOfMessagesToMove,
        @JsonProperty("FailureReason") String failureReason,
        @JsonProperty("StartedTimestamp") Long startedTimestamp) {
}
