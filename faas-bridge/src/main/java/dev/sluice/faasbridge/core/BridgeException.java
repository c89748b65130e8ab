package dev.sluice.faasbridge.core;

import java.util.Objects;

/** An expected failure of the bridge API: an entry of {@link BridgeError} and a message for the caller. */
public final class BridgeException extends RuntimeException {
    private final BridgeError error;

    public BridgeException(BridgeError error, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    public BridgeError error() {
        return error;
    }
}
