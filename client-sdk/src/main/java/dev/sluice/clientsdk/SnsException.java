package dev.sluice.clientsdk;

import java.util.Objects;

/** The typed failure of an SNS action: an entry of {@link SnsError} and a message. No stack trace: a business outcome. */
public final class SnsException extends RuntimeException {
    private final SnsError error;

    public SnsException(SnsError error, String message) {
        super(message == null ? Objects.requireNonNull(error, "error").defaultMessage() : message, null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    public SnsError error() {
        return error;
    }
}
