package dev.sluice.broker.core;

import java.util.Objects;

/**
 * A FIFO send remembered for the deduplication interval: what a duplicate of it is answered with.
 *
 * @param seq the original message's sequence number in its queue (its SequenceNumber)
 */
public record DeduplicationRecord(String messageId, long seq, long expiresAtMillis) implements Expiring {
    public DeduplicationRecord {
        Objects.requireNonNull(messageId, "messageId");
    }
}
