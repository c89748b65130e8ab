package dev.sluice.broker.core;

import dev.sluice.clientsdk.MessageSize;
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
        return (int) MessageSize.of(body, messageAttributes);
    }
}
