package dev.sluice.broker.auth;

/** The outcome of verifying one request: who signed it, or why it was refused. */
public sealed interface Verdict {

    /**
     * A valid signature.
     *
     * @param accessKeyId the configured key that signed the request
     * @param service the service name of the credential scope ({@code sqs}, {@code sns}, ...)
     * @param accountId the 12-digit account the signing key belongs to
     */
    record Verified(String accessKeyId, String service, String accountId) implements Verdict {
    }

    /**
     * A refused request.
     *
     * @param failure the AWS error to answer with
     * @param message the error message (never contains a secret or the expected signature)
     * @param service the credential scope's service when the signature was readable, else null (helps pick
     *     the error format of a Query request)
     */
    record Refused(AuthFailure failure, String message, String service) implements Verdict {
    }
}
