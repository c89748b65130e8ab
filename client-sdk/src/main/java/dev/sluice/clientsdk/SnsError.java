package dev.sluice.clientsdk;

/**
 * Every error the SNS API of Sluice can return, in one catalogue: the Query protocol's code (also the
 * AWS SDKs' exception name without "Exception"), the HTTP status, whether the sender is at fault and a
 * default message. Sources: the SNS API reference's per-action errors and common errors.
 */
public enum SnsError {
    INVALID_PARAMETER("InvalidParameter", 400, "Invalid parameter."),
    INVALID_PARAMETER_VALUE("ParameterValueInvalid", 400, "An invalid or out-of-range value was supplied."),
    NOT_FOUND("NotFound", 404, "The requested resource does not exist."),
    RESOURCE_NOT_FOUND("ResourceNotFound", 404, "The specified resource does not exist."),
    AUTHORIZATION_ERROR("AuthorizationError", 403, "The caller is not authorized to perform this action."),
    // Request authentication (AWS common errors), answered before the action is decoded.
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 403, "Request is missing Authentication Token"),
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400, "The request signature does not conform to AWS standards."),
    INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", 403, "The security token included in the request is invalid."),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403, "The request signature we calculated does not match the"
            + " signature you provided. Check your AWS Secret Access Key and signing method. Consult the service"
            + " documentation for details."),
    REQUEST_EXPIRED("RequestExpired", 400, "Request has expired."),
    TOPIC_LIMIT_EXCEEDED("TopicLimitExceeded", 403, "The maximum number of topics has been reached."),
    SUBSCRIPTION_LIMIT_EXCEEDED("SubscriptionLimitExceeded", 403, "The maximum number of subscriptions has been reached."),
    FILTER_POLICY_LIMIT_EXCEEDED("FilterPolicyLimitExceeded", 403, "The maximum number of filter policies has been reached."),
    TAG_LIMIT_EXCEEDED("TagLimitExceeded", 400, "A resource can have at most 50 tags."),
    /**
     * Not in SNS's model: a Sluice account's quota on what its queues store was reached (SNS has no such quota). The
     * code SQS answers at its own limits, 403 like SNS's other limits (TopicLimitExceeded).
     */
    OVER_LIMIT("OverLimit", 403, "The specified action violates a limit."),
    TAG_POLICY("TagPolicy", 400, "The request does not comply with the tag rules."),
    CONCURRENT_ACCESS("ConcurrentAccess", 400,
            "Can't perform multiple operations on a tag simultaneously. Perform the operations sequentially."),
    EMPTY_BATCH_REQUEST("EmptyBatchRequest", 400, "The batch request doesn't contain any entries."),
    TOO_MANY_ENTRIES_IN_BATCH_REQUEST("TooManyEntriesInBatchRequest", 400,
            "The batch request contains more entries than permissible."),
    BATCH_ENTRY_IDS_NOT_DISTINCT("BatchEntryIdsNotDistinct", 400, "Two or more batch entries have the same Id."),
    INVALID_BATCH_ENTRY_ID("InvalidBatchEntryId", 400,
            "A batch entry Id can only contain alphanumeric characters, hyphens and underscores, at most 80."),
    BATCH_REQUEST_TOO_LONG("BatchRequestTooLong", 400, "The length of all the messages put together is more than the limit."),
    INVALID_ACTION("InvalidAction", 400, "The action or operation requested is invalid."),
    MISSING_ACTION("MissingAction", 400, "The request is missing an action or a required parameter."),
    MALFORMED_QUERY_STRING("MalformedQueryString", 400, "The query string contains a syntax error."),
    /** AWS's common error for a query that does not follow its rules (here: a parameter given twice). */
    INVALID_QUERY_PARAMETER("InvalidQueryParameter", 400,
            "The AWS query string is malformed or does not adhere to AWS standards."),
    /**
     * SNS's ThrottledException (service model: code Throttled, HTTP 429, sender fault): the AWS SDKs retry a 429
     * with backoff. Sluice answers it when a Raft group's proposal queue is full.
     */
    THROTTLED("Throttled", 429, "Rate exceeded"),
    INTERNAL_ERROR("InternalError", 500, "The request processing has failed because of an unknown error."),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server.");

    private final String code;
    private final int httpStatus;
    private final String defaultMessage;

    SnsError(String code, int httpStatus, String defaultMessage) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    /** The {@code <Code>} of an SNS {@code ErrorResponse}, also a failed batch entry's {@code Code}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** Server-side failures (5xx) are the receiver's fault; everything else the sender's. */
    public boolean senderFault() {
        return httpStatus < 500;
    }

    /** {@code Sender} or {@code Receiver}, as in the Query protocol's {@code <Type>}. */
    public String faultType() {
        return senderFault() ? "Sender" : "Receiver";
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    public SnsException exception(String message) {
        return new SnsException(this, message);
    }

    /** {@code Invalid parameter: <what>}, SNS's wording for {@link #INVALID_PARAMETER}. */
    public static SnsException invalidParameter(String what) {
        return INVALID_PARAMETER.exception("Invalid parameter: " + what);
    }

    /** The error with this code, for clients reading {@code ErrorResponse}s; INTERNAL_ERROR when unknown. */
    public static SnsError ofCode(String code) {
        for (SnsError error : values()) {
            if (error.code.equals(code)) {
                return error;
            }
        }
        return INTERNAL_ERROR;
    }
}
