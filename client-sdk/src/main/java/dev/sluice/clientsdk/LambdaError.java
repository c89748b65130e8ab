package dev.sluice.clientsdk;

/**
 * The errors of Sluice's functions and event-source-mapping REST API ({@code /v1/functions},
 * {@code /v1/event-source-mappings}), in one catalogue: Lambda's exception names, which the REST API
 * answers as {@code code}, and their HTTP statuses (Lambda API reference, "Errors" of CreateFunction and
 * CreateEventSourceMapping). The server's bridge answers with these ({@code BridgeException}) and
 * {@link LambdaException} reads them back.
 */
public enum LambdaError {
    INVALID_PARAMETER_VALUE("InvalidParameterValueException", 400),
    INVALID_REQUEST_CONTENT("InvalidRequestContentException", 400),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 404),
    RESOURCE_CONFLICT("ResourceConflictException", 409),
    TOO_MANY_REQUESTS("TooManyRequestsException", 429),
    SERVICE_EXCEPTION("ServiceException", 500);

    private final String code;
    private final int httpStatus;

    LambdaError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** Lambda's exception name, the {@code code} of the REST API's error body. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The entry of {@code code}, or null when it is not one of these. */
    public static LambdaError ofCode(String code) {
        for (LambdaError error : values()) {
            if (error.code.equals(code)) {
                return error;
            }
        }
        return null;
    }
}
