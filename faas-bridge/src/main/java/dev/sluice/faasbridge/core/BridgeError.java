package dev.sluice.faasbridge.core;

/**
 * Every error the functions and event-source-mapping API returns, in one catalogue: Lambda's
 * exception names and HTTP statuses (Lambda API reference, CreateEventSourceMapping and
 * CreateFunction "Errors" sections), so Lambda tooling reads them the same way.
 */
public enum BridgeError {
    INVALID_PARAMETER_VALUE("InvalidParameterValueException", 400),
    INVALID_REQUEST_CONTENT("InvalidRequestContentException", 400),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 404),
    RESOURCE_CONFLICT("ResourceConflictException", 409),
    SERVICE_EXCEPTION("ServiceException", 500);

    private final String code;
    private final int httpStatus;

    BridgeError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** Lambda's exception name: the {@code code} of the REST API's error body. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** True when the caller is at fault (Lambda's {@code "Type":"User"}). */
    public boolean userFault() {
        return httpStatus < 500;
    }
}
