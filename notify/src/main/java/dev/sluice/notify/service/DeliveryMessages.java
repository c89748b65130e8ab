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

    private DeliveryMessages() {
    }

    static Map<String, MessageAttributeValue> attributes(String type, String messageId) {
        return Map.of(TYPE, MessageAttributeValue.ofString("String", type),
                MESSAGE_ID, MessageAttributeValue.ofString("String", messageId));
    }

    static Map<String, MessageAttributeValue> rawNotification(String messageId) {
        return Map.of(TYPE, MessageAttributeValue.ofString("String", "Notification"),
                MESSAGE_ID, MessageAttributeValue.ofString("String", messageId),
                RAW, MessageAttributeValue.ofString("String", "true"));
    }

    static String text(Map<String, MessageAttributeValue> attributes, String name) {
        MessageAttributeValue value = attributes.get(name);
        return value == null ? null : value.stringValue();
    }
}
