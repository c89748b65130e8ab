package dev.sluice.broker.auth;

/**
 * Why a request was refused, protocol-neutral; the HTTP layer answers each with the AWS common error of the
 * same name in the request's protocol (SQS JSON or Query, SNS Query, REST).
 */
public enum AuthFailure {
    /** Neither an {@code Authorization} header nor a presigned query string: 403 MissingAuthenticationToken. */
    MISSING_AUTHENTICATION_TOKEN,
    /** A signature that cannot be read (parts missing, bad date, unsupported algorithm): 400 IncompleteSignature. */
    INCOMPLETE_SIGNATURE,
    /** An access key id that is not configured: 403 InvalidClientTokenId. */
    INVALID_CLIENT_TOKEN_ID,
    /** A wrong signature, a body that does not match its signed hash, or a time off by more than 15 minutes: 403. */
    SIGNATURE_DOES_NOT_MATCH,
    /** A presigned URL used after its {@code X-Amz-Expires}: 400 RequestExpired. */
    REQUEST_EXPIRED
}
