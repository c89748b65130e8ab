package dev.sluice.broker.core;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.Map;
import java.util.Objects;

/**
 * The immutable part of a message, as stored: written once at send, read at every receive.
 *
 * @param traceHeader the AWSTraceHeader system attribute, or null
 * @param deadLetterSourceArn the queue a dead-letter message came from, or null
 */
public record StoredMessage(
        String messageId,
        long sentMillis,
        long firstVisibleAtMillis,
        String body,
        Map<String, MessageAttributeValue> messageAttributes,
        String traceHeader,
        String messageGroupId,
        String messageDeduplicationId,
        String deadLetterSourceArn) {

    public StoredMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        messageAttributes = messageAttributes == null ? Map.of() : messageAttributes;
    }

    public StoredMessage withDeduplicationId(String deduplicationId) {
        return new StoredMessage(messageId, sentMillis, firstVisibleAtMillis, body, messageAttributes, traceHeader,
                messageGroupId, deduplicationId, deadLetterSourceArn);
    }

    public StoredMessage withDeadLetterSource(String sourceArn, long movedAtMillis) {
        return new StoredMessage(messageId, sentMillis, movedAtMillis, body, messageAttributes, traceHeader,
                messageGroupId, messageDeduplicationId, sourceArn);
    }
}
