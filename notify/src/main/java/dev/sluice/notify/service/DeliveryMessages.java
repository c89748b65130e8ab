package dev.sluice.notify.service;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.Map;

/**
 * What a delivery-queue message carries besides the HTTP body: the SNS message type and id, as message
 * attributes, so the delivery worker sets the {@code x-amz-sns-*} headers without parsing the body.
 */
final class DeliveryMessages {
    static final String TYPE = "sns.type";
    static final String MESSAGE_ID = "sns.id";
    static final String RAW = "sns.raw";
    /** When the message was published (SNS's Timestamp), for the delivery-latency meter; absent on confirmations. */
    static final String PUBLISHED = "sns.published";

    private DeliveryMessages() {
    }

    static Map<String, MessageAttributeValue> attributes(String type, String messageId) {
        return Map.of(TYPE, MessageAttributeValue.ofString("String", type),
                MESSAGE_ID, MessageAttributeValue.ofString("String", messageId));
    }

    static Map<String, MessageAttributeValue> rawNotification(String messageId, String publishedAt) {
        return Map.of(TYPE, MessageAttributeValue.ofString("String", "Notification"),
                MESSAGE_ID, MessageAttributeValue.ofString("String", messageId),
                RAW, MessageAttributeValue.ofString("String", "true"),
                PUBLISHED, MessageAttributeValue.ofString("String", publishedAt));
    }

    static Map<String, MessageAttributeValue> notification(String messageId, String publishedAt) {
        return Map.of(TYPE, MessageAttributeValue.ofString("String", "Notification"),
                MESSAGE_ID, MessageAttributeValue.ofString("String", messageId),
                PUBLISHED, MessageAttributeValue.ofString("String", publishedAt));
    }

    /** Seconds from an SNS Timestamp to {@code now}; empty when absent or unreadable (a copy queued by an older version). */
    static java.util.OptionalDouble secondsSince(String timestamp, java.time.Instant now) {
        if (timestamp == null || timestamp.isEmpty()) {
            return java.util.OptionalDouble.empty();
        }
        try {
            return java.util.OptionalDouble.of(java.time.Duration.between(java.time.Instant.parse(timestamp), now).toNanos() / 1e9);
        } catch (java.time.format.DateTimeParseException e) {
            return java.util.OptionalDouble.empty();
        }
    }

    static String text(Map<String, MessageAttributeValue> attributes, String name) {
        MessageAttributeValue value = attributes.get(name);
        return value == null ? null : value.stringValue();
    }
}
