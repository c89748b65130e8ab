package dev.sluice.clientsdk;

import java.util.Objects;

/**
 * The typed failure of a functions or event-source-mapping call: the {@link LambdaError} the REST API
 * answered, its message and the request id. No stack trace: a business outcome.
 */
public final class LambdaException extends RuntimeException {
    private final LambdaError error;
    private final String requestId;

    /** @param requestId the server's id of the failed request, null when it sent none */
    public LambdaException(LambdaError error, String message, String requestId) {
        super(Objects.requireNonNull(error, "error").code() + (message == null ? "" : ": " + message), null, false, false);
        this.error = error;
        this.requestId = requestId;
    }

    public LambdaError error() {
        return error;
    }

    public String requestId() {
        return requestId;
    }
}
