package dev.sluice.broker.core;

/**
 * The result of one batch entry: success (with the message id, and for FIFO sends the sequence
 * number) or a failure value.
 */
public record EntryOutcome(String id, String messageId, String sequenceNumber, EngineFailure failure) {
    public static EntryOutcome ok(String id, String messageId) {
        return new EntryOutcome(id, messageId, null, null);
    }

    public static EntryOutcome sent(String id, String messageId, String sequenceNumber) {
        return new EntryOutcome(id, messageId, sequenceNumber, null);
    }

    public static EntryOutcome failed(String id, EngineFailure failure) {
        return new EntryOutcome(id, null, null, failure);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
