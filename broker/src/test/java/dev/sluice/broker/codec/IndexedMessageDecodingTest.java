package dev.sluice.broker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.broker.codec.StoredRecordCodec.IndexedMessage;
import dev.sluice.broker.core.MessageMeta;
import dev.sluice.broker.core.StoredMessage;
import dev.sluice.clientsdk.MessageSize;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recovery reads only what the index holds from each stored message, stepping over the rest: the fields it keeps
 * must be exactly those of the whole record, whatever the body, attributes and optional fields hold.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class IndexedMessageDecodingTest {
    private static final Map<String, MessageAttributeValue> ATTRIBUTES = Map.of(
            "text", new MessageAttributeValue("String", "é✓", null),
            "blob", new MessageAttributeValue("Binary", null, new byte[] {0, 1, 2}));

    @Test
    void aFifoMessageWithAttributesKeepsItsGroupTimesAndDeliveryState() {
        StoredMessage message = new StoredMessage("id-1", 1_000, 1_500, "body ✓".repeat(100), ATTRIBUTES, "Root=1-abc",
                "group-7", "dedup-9", null);
        MessageMeta delivered = new MessageMeta(42, 1_000, 9_000, 3, 2_000, 77, 0);
        IndexedMessage indexed = StoredRecordCodec.decodeIndexed(42, StoredRecordCodec.encodeMessage(message),
                StoredRecordCodec.encodeDelivery(delivered));
        assertEquals("group-7", indexed.messageGroupId());
        assertEquals(42, indexed.meta().seq());
        assertEquals(1_000, indexed.meta().retainedSinceMillis());
        assertEquals(9_000, indexed.meta().visibleAtMillis());
        assertEquals(3, indexed.meta().receiveCount());
        assertEquals(2_000, indexed.meta().firstReceiveMillis());
        assertEquals(77, indexed.meta().receiptNonce());
    }

    @Test
    void aNeverReceivedStandardMessageIsVisibleFromItsFirstVisibleTime() {
        StoredMessage message = new StoredMessage("id-2", 1_000, 4_000, "", Map.of(), null, null, null, null);
        IndexedMessage indexed = StoredRecordCodec.decodeIndexed(5, StoredRecordCodec.encodeMessage(message), null);
        assertNull(indexed.messageGroupId());
        assertEquals(1_000, indexed.meta().retainedSinceMillis());
        assertEquals(4_000, indexed.meta().visibleAtMillis());
        assertEquals(0, indexed.meta().receiveCount());
    }

    @Test
    void aFifoDeadLetterCountsItsRetentionFromWhenItWasMoved() {
        StoredMessage message = new StoredMessage("id-3", 1_000, 6_000, "x", Map.of(), null, "g", "d",
                "arn:aws:sqs:us-east-1:000000000000:orders.fifo");
        IndexedMessage indexed = StoredRecordCodec.decodeIndexed(6, StoredRecordCodec.encodeMessage(message), null);
        assertEquals(message.retainedSinceMillis(), indexed.meta().retainedSinceMillis());
        assertEquals(6_000, indexed.meta().retainedSinceMillis());
    }

    @Test
    void recoveryGetsEveryMessagesSizeAsSqsCountsItWithoutDecodingIt() {
        // Each stored as apply stores strings: decoded from the log's UTF-8 (so a lone surrogate is already '?').
        java.util.List<StoredMessage> messages = java.util.List.of(
                message("plain body", Map.of()),
                message("body ✓ é 𝄞", ATTRIBUTES),
                message("", Map.of("n", new MessageAttributeValue("Number.int", "12", null))),
                message(roundTrip("lone \uD800 surrogate"), Map.of()),
                message(MessageSize.RAW_BODY_PLACEHOLDER, Map.of(MessageSize.RAW_BODY_ATTRIBUTE,
                        new MessageAttributeValue("Binary", null, new byte[1000]), "k", new MessageAttributeValue("String", "v", null))),
                message(MessageSize.RAW_BODY_PLACEHOLDER, Map.of("k", new MessageAttributeValue("String", "v", null))),
                message("not the placeholder", Map.of(MessageSize.RAW_BODY_ATTRIBUTE,
                        new MessageAttributeValue("Binary", null, new byte[1000]))));
        for (StoredMessage message : messages) {
            IndexedMessage indexed = StoredRecordCodec.decodeIndexed(1, StoredRecordCodec.encodeMessage(message), null);
            assertEquals(MessageSize.of(message.body(), message.messageAttributes()), indexed.meta().payloadBytes(),
                    message.body());
        }
        assertEquals(1000 + 1 + 6 + 1, StoredRecordCodec.decodeIndexed(1, StoredRecordCodec.encodeMessage(messages.get(4)),
                null).meta().payloadBytes());
    }

    private static StoredMessage message(String body, Map<String, MessageAttributeValue> attributes) {
        return new StoredMessage("id", 1, 1, body, attributes, null, null, null, null);
    }

    private static String roundTrip(String text) {
        return new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
    }
}
