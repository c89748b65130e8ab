package dev.sluice.faasbridge.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Lambda's SNS event, {@code {"Records":[...]}}, as an SNS topic delivers it to a subscribed function:
 * one record per invocation. Mirrors aws-lambda-java-events' {@code SNSEvent}; note that the event
 * spells {@code SigningCertUrl} and {@code UnsubscribeUrl} where the HTTP envelope has {@code ...URL}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnsEvent(@JsonProperty("Records") List<Record> records) {
    public SnsEvent {
        records = List.copyOf(records);
    }

    /** One notification with its subscription; {@code eventSource} is {@code aws:sns}, {@code eventVersion} 1.0. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Record(
            @JsonProperty("EventVersion") String eventVersion,
            @JsonProperty("EventSubscriptionArn") String eventSubscriptionArn,
            @JsonProperty("EventSource") String eventSource,
            @JsonProperty("Sns") Notification sns) {
    }

    /**
     * The SNS message: {@code subject} is null when the publisher gave none; {@code signature} is over the
     * same fields as the HTTP envelope's, verifiable with the certificate at {@code signingCertUrl}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Notification(
            @JsonProperty("Type") String type,
            @JsonProperty("MessageId") String messageId,
            @JsonProperty("TopicArn") String topicArn,
            @JsonProperty("Subject") String subject,
            @JsonProperty("Message") String message,
            @JsonProperty("Timestamp") String timestamp,
            @JsonProperty("SignatureVersion") String signatureVersion,
            @JsonProperty("Signature") String signature,
            @JsonProperty("SigningCertUrl") String signingCertUrl,
            @JsonProperty("UnsubscribeUrl") String unsubscribeUrl,
            @JsonProperty("MessageAttributes") Map<String, MessageAttribute> messageAttributes) {
        public Notification {
            messageAttributes = messageAttributes == null ? Map.of() : Map.copyOf(messageAttributes);
        }
    }

    /** A message attribute: {@code type} String, String.Array, Number or Binary (value base64). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MessageAttribute(@JsonProperty("Type") String type, @JsonProperty("Value") String value) {
    }
}
