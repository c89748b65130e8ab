package dev.sluice.faasbridge.core;

import dev.sluice.clientsdk.LambdaError;
import java.util.Objects;

/** An expected failure of the bridge API: an entry of {@link LambdaError} and a message for the caller. */
public final class BridgeException extends RuntimeException {
    private final LambdaError error;

    public BridgeException(LambdaError error, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    public LambdaError error() {
        return error;
    }
}
