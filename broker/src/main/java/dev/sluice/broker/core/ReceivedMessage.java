package dev.sluice.broker.core;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.Map;

/** A message as one receive delivers it, with every system attribute; the edge trims to what was asked. */
public record ReceivedMessage(String messageId, String receiptHandle, String body, Map<String, String> systemAttributes,
        Map<String, MessageAttributeValue> messageAttributes) {
}
