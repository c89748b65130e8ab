package dev.sluice.clientsdk;

/**
 * Every error the SQS API of Sluice can return, in one catalogue.
 *
 * <p>Each entry carries the code name (the shape name in the AWS JSON 1.0 protocol), the JSON
 * {@code __type}, the legacy code of the Query protocol (also sent in the JSON protocol's
 * {@code x-amzn-query-error: <legacyCode>;Sender} header), the HTTP status, whether the sender is at
 * fault and a default message.
 *
 * <p>Sources: the AWS SQS service model (awsQueryError codes and HTTP statuses of the 2012-11-05
 * API, as shipped in the AWS SDKs: 400 for every modelled error but PurgeQueueInProgress, 403) and
 * the AWS common errors page for the protocol-level errors. KMS errors are not modelled: Sluice has no KMS.
 */
public enum SqsError {
    // Modelled SQS errors (JSON __type com.amazonaws.sqs#<code>).
    QUEUE_DOES_NOT_EXIST("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", 400,
            "The specified queue does not exist."),
    QUEUE_NAME_EXISTS("QueueNameExists", "QueueAlreadyExists", 400,
            "A queue already exists with the same name and a different value for attribute(s)."),
    QUEUE_DELETED_RECENTLY("QueueDeletedRecently", "AWS.SimpleQueueService.QueueDeletedRecently", 400,
            "You must wait 60 seconds after deleting a queue before you can create another with the same name."),
    INVALID_ATTRIBUTE_NAME("InvalidAttributeName", "InvalidAttributeName", 400,
            "The specified attribute doesn't exist."),
    INVALID_ATTRIBUTE_VALUE("InvalidAttributeValue", "InvalidAttributeValue", 400,
            "A queue attribute value is invalid."),
    RECEIPT_HANDLE_IS_INVALID("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 400,
            "The specified receipt handle isn't valid."),
    INVALID_ID_FORMAT("InvalidIdFormat", "InvalidIdFormat", 400,
            "The specified receipt handle isn't valid for the current version."),
    MESSAGE_NOT_INFLIGHT("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight", 400,
            "The specified message isn't in flight."),
    TOO_MANY_ENTRIES_IN_BATCH_REQUEST("TooManyEntriesInBatchRequest",
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400,
            "The batch request contains more entries than permissible."),
    EMPTY_BATCH_REQUEST("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest", 400,
            "The batch request doesn't contain any entries."),
    BATCH_ENTRY_IDS_NOT_DISTINCT("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", 400,
            "Two or more batch entries in the request have the same Id."),
    INVALID_BATCH_ENTRY_ID("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId", 400,
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
                    + "It can be at most 80 letters long."),
    BATCH_REQUEST_TOO_LONG("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong", 400,
            "The length of all the messages put together is more than the limit."),
    INVALID_MESSAGE_CONTENTS("InvalidMessageContents", "InvalidMessageContents", 400,
            "The message contains characters outside the allowed set."),
    OVER_LIMIT("OverLimit", "OverLimit", 400,
            "The specified action violates a limit."),
    /** The one modelled SQS error that is not a 400: the service model gives it HTTP 403. */
    PURGE_QUEUE_IN_PROGRESS("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress", 403,
            "Only one PurgeQueue operation on a queue is allowed every 60 seconds."),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", "ResourceNotFoundException", 400,
            "One or more specified resources don't exist."),
    UNSUPPORTED_OPERATION("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", 400,
            "Unsupported operation."),
    INVALID_ADDRESS("InvalidAddress", "InvalidAddress", 400,
            "The specified queue URL is not valid."),
    INVALID_SECURITY("InvalidSecurity", "InvalidSecurity", 400,
            "The request was not made over HTTPS or did not use SigV4 for signing."),
    REQUEST_THROTTLED("RequestThrottled", "RequestThrottled", 400,
            "The request was denied due to request throttling."),

    // Common (protocol-level) errors; SQS sends them under the same names in both protocols.
    MISSING_PARAMETER("MissingParameter", "MissingParameter", 400,
            "A required parameter for the specified action is not supplied."),
    INVALID_PARAMETER_VALUE("InvalidParameterValue", "InvalidParameterValue", 400,
            "An invalid or out-of-range value was supplied for the input parameter."),
    MISSING_ACTION("MissingAction", "MissingAction", 400,
            "The request is missing an action or a required parameter."),
    INVALID_ACTION("InvalidAction", "InvalidAction", 400,
            "The action or operation requested is invalid. Verify that the action is typed correctly.",
            "com.amazon.coral.service#UnknownOperationException", true),
    INVALID_QUERY_PARAMETER("InvalidQueryParameter", "InvalidQueryParameter", 400,
            "The AWS query string is malformed or does not adhere to AWS standards."),
    MALFORMED_QUERY_STRING("MalformedQueryString", "MalformedQueryString", 404,
            "The query string contains a syntax error."),
    /**
     * A JSON 1.0 body that cannot be read as the action's input: not UTF-8, not well-formed JSON, not an
     * object, a member of the wrong JSON type ({@code "DelaySeconds": "5"}, {@code "QueueName": 5},
     * {@code 1.5} for an integer) or a null list or map element. Amazon SQS answers type errors this way
     * (HTTP 400 {@code SerializationException}, e.g. "STRING_VALUE can not be converted to an Integer"),
     * not with InvalidParameterValue, and the AWS SDK v2 surfaces it as an SqsException with this code and
     * status 400; values of the right type that break a rule are InvalidParameterValue, as in the Query
     * protocol, where every value arrives as a string.
     */
    SERIALIZATION_EXCEPTION("SerializationException", "SerializationException", 400,
            "The request body could not be deserialized.",
            "com.amazon.coral.service#SerializationException", true),
    /**
     * A body over the endpoint's bound, refused before it is read, so before the action is known.
     * Amazon SQS's front end answers such bodies with HTTP 413 as well (without a modelled code).
     */
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", "RequestEntityTooLarge", 413,
            "The request body is larger than the endpoint accepts."),
    // Request authentication (AWS common errors), answered before the action is decoded. The SDKs read the
    // code from x-amzn-query-error in the JSON protocol, so the __type is the front end's coral one.
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", "MissingAuthenticationToken", 403,
            "Request is missing Authentication Token",
            "com.amazon.coral.service#MissingAuthenticationToken", true),
    INCOMPLETE_SIGNATURE("IncompleteSignature", "IncompleteSignature", 400,
            "The request signature does not conform to AWS standards.",
            "com.amazon.coral.service#IncompleteSignature", true),
    INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", "InvalidClientTokenId", 403,
            "The security token included in the request is invalid.",
            "com.amazon.coral.service#InvalidClientTokenId", true),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", "SignatureDoesNotMatch", 403,
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret"
                    + " Access Key and signing method. Consult the service documentation for details.",
            "com.amazon.coral.service#SignatureDoesNotMatch", true),
    REQUEST_EXPIRED("RequestExpired", "RequestExpired", 400,
            "Request has expired.", "com.amazon.coral.service#RequestExpired", true),
    ACCESS_DENIED("AccessDenied", "AccessDenied", 403,
            "Access to the resource is denied."),
    /** Sluice's own (not an SQS error): an operator's cluster change that conflicts with the cluster's state. */
    CONFLICT("Conflict", "Conflict", 409,
            "The request conflicts with the current state of the resource."),
    INTERNAL_ERROR("InternalError", "InternalError", 500,
            "The request processing has failed because of an unknown error, exception or failure.",
            "com.amazonaws.sqs#InternalError", false),
    SERVICE_UNAVAILABLE("ServiceUnavailable", "ServiceUnavailable", 503,
            "The request has failed due to a temporary failure of the server.",
            "com.amazonaws.sqs#ServiceUnavailable", false),

    // Internal: between a Sluice node and a queue's data group only; never sent to a client (see answered()).
    /**
     * A data group's queue refused a message action because the queue's layout changed under a node's cached
     * placement (fenced for a migration, or a FIFO partition that no longer holds the message group). The node's
     * router re-reads the placement and retries; should it ever reach the edge it answers as {@link #REQUEST_THROTTLED},
     * which the AWS SDKs retry.
     */
    QUEUE_MOVED("QueueMoved", "QueueMoved", 400,
            "The queue's layout changed; retry.", "sluice#QueueMoved", true);

    private static final String JSON_NAMESPACE = "com.amazonaws.sqs#";

    private final String code;
    private final String legacyCode;
    private final int httpStatus;
    private final String defaultMessage;
    private final String jsonType;
    private final boolean senderFault;

    SqsError(String code, String legacyCode, int httpStatus, String defaultMessage) {
        this(code, legacyCode, httpStatus, defaultMessage, JSON_NAMESPACE + code, true);
    }

    SqsError(String code, String legacyCode, int httpStatus, String defaultMessage, String jsonType,
            boolean senderFault) {
        this.code = code;
        this.legacyCode = legacyCode;
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
        this.jsonType = jsonType;
        this.senderFault = senderFault;
    }

    /**
     * The entry for an error code as a client reads it off the wire: the JSON {@code __type}'s code,
     * or the Query protocol's (legacy) code; null when Sluice does not know the code.
     */
    public static SqsError ofCode(String code) {
        if (code == null) {
            return null;
        }
        for (SqsError error : values()) {
            if (error.code.equals(code) || error.legacyCode.equals(code)) {
                return error;
            }
        }
        return null;
    }

    /** The code name, as in the AWS JSON protocol's {@code __type} after the {@code #}. */
    public String code() {
        return code;
    }

    /** The {@code __type} of an AWS JSON 1.0 error body. */
    public String jsonType() {
        return jsonType;
    }

    /**
     * The Query protocol's error code, also the first part of the JSON protocol's
     * {@code x-amzn-query-error} header and the {@code Code} of a failed batch entry.
     */
    public String legacyCode() {
        return legacyCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** True when the caller's request is at fault ({@code Sender}), false for {@code Receiver}. */
    public boolean senderFault() {
        return senderFault;
    }

    /** {@code Sender} or {@code Receiver}, as in the Query protocol's {@code <Type>}. */
    public String faultType() {
        return senderFault ? "Sender" : "Receiver";
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /** The error a client is answered: an internal one as the public error it stands for, any other as itself. */
    public SqsError answered() {
        return this == QUEUE_MOVED ? REQUEST_THROTTLED : this;
    }

    /** A typed failure with this error and its default message. */
    public SqsException exception() {
        return new SqsException(this, defaultMessage);
    }

    /** A typed failure with this error and the given message. */
    public SqsException exception(String message) {
        return new SqsException(this, message);
    }
}
