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

    /**
     * When the queue's retention period starts counting for this message: when it was sent; for a
     * message dead-lettered from a FIFO queue, when it was moved (SQS resets the enqueue time of FIFO
     * dead letters, not of standard ones). A FIFO queue's dead-letter queue is FIFO, so the source
     * ARN's {@code .fifo} name tells the two apart.
     */
    public long retainedSinceMillis() {
        return retainedSince(sentMillis, firstVisibleAtMillis, deadLetterSourceArn);
    }

    /** {@link #retainedSinceMillis} of a message with these fields. */
    public static long retainedSince(long sentMillis, long firstVisibleAtMillis, String deadLetterSourceArn) {
        return deadLetterSourceArn != null && deadLetterSourceArn.endsWith(".fifo") ? firstVisibleAtMillis : sentMillis;
    }

    public StoredMessage withDeduplicationId(String deduplicationId) {
        return new StoredMessage(messageId, sentMillis, firstVisibleAtMillis, body, messageAttributes, traceHeader,
                messageGroupId, deduplicationId, deadLetterSourceArn);
    }

    /** The message redriven out of a dead-letter queue: a new message with {@code newMessageId}, sent now. */
    public StoredMessage redriven(String newMessageId, long nowMillis) {
        return new StoredMessage(newMessageId, nowMillis, nowMillis, body, messageAttributes, traceHeader, messageGroupId,
                messageDeduplicationId, null);
    }

    public StoredMessage withDeadLetterSource(String sourceArn, long movedAtMillis) {
        return new StoredMessage(messageId, sentMillis, movedAtMillis, body, messageAttributes, traceHeader,
                messageGroupId, messageDeduplicationId, sourceArn);
    }

    /**
     * This message as it arrives in another queue: a dead letter ({@code deadLetterSourceArn} its
     * source) keeps its id and, from a FIFO queue, gets its id as deduplication id (as SQS does: two
     * dead letters that shared one are still two independent messages); a redrive
     * ({@code deadLetterSourceArn} null) is, as SQS documents, a new message {@code newMessageId}
     * sent now, so the destination's retention counts from the redrive.
     */
    public StoredMessage movedTo(String deadLetterSourceArn, boolean fromFifo, String newMessageId, long nowMillis) {
        if (deadLetterSourceArn == null) {
            return redriven(newMessageId, nowMillis);
        }
        StoredMessage dead = withDeadLetterSource(deadLetterSourceArn, nowMillis);
        return fromFifo ? dead.withDeduplicationId(messageId) : dead;
    }
}
