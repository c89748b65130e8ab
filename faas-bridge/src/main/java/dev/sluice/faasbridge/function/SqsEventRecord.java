package dev.sluice.faasbridge.function;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One record of Lambda's SQS event. {@code attributes} are the message's system attributes
 * ({@code ApproximateReceiveCount}, {@code SentTimestamp}, {@code SenderId},
 * {@code ApproximateFirstReceiveTimestamp}, and on FIFO queues {@code MessageGroupId},
 * {@code SequenceNumber}, {@code MessageDeduplicationId}); {@code eventSource} is {@code aws:sqs}.
 */
public record SqsEventRecord(
        @JsonProperty("messageId") String messageId,
        @JsonProperty("receiptHandle") String receiptHandle,
        @JsonProperty("body") String body,
        @JsonProperty("attributes") Map<String, String> attributes,
        @JsonProperty("messageAttributes") Map<String, SqsMessageAttribute> messageAttributes,
        @JsonProperty("md5OfBody") String md5OfBody,
        @JsonProperty("eventSource") String eventSource,
        @JsonProperty("eventSourceARN") String eventSourceArn,
        @JsonProperty("awsRegion") String awsRegion) {
    public SqsEventRecord {
        attributes = Map.copyOf(attributes);
        messageAttributes = Map.copyOf(messageAttributes);
    }
}
