package dev.sluice.broker.core;

import dev.sluice.clientsdk.SqsError;

/** An expected business failure of one command or batch entry: a value, never thrown inside apply. */
public record EngineFailure(SqsError error, String message) {
    public static EngineFailure of(SqsError error) {
        return new EngineFailure(error, error.defaultMessage());
    }
}
