package dev.sluice.broker.core;

/** The result of one batch entry: success (with the message id for sends) or a failure value. */
public record EntryOutcome(String id, String messageId, EngineFailure failure) {
    public static EntryOutcome ok(String id, String messageId) {
        return new EntryOutcome(id, messageId, null);
    }

    public static EntryOutcome failed(String id, EngineFailure failure) {
        return new EntryOutcome(id, null, failure);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
