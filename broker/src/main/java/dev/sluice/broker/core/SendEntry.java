package dev.sluice.broker.core;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.Map;

/** One message to send; {@code delaySeconds} null means the queue's default. */
public record SendEntry(String id, String body, Integer delaySeconds, Map<String, MessageAttributeValue> messageAttributes,
        String traceHeader, String messageGroupId, String messageDeduplicationId) {
    public SendEntry {
        messageAttributes = messageAttributes == null ? Map.of() : messageAttributes;
    }

    /** Bytes counted against MaximumMessageSize: the body and every attribute's name, type and value. */
    public int sizeBytes() {
        int size = Utf8.length(body);
        for (var attribute : messageAttributes.entrySet()) {
            MessageAttributeValue value = attribute.getValue();
            size += Utf8.length(attribute.getKey()) + Utf8.length(value.dataType());
            size += value.binaryValue() != null ? value.binaryValue().length : Utf8.length(value.stringValue());
        }
        return size;
    }
}
