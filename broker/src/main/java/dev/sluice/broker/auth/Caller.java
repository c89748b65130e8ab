package dev.sluice.broker.auth;

/**
 * Who makes a request, as routes and handlers decide ownership and policies by it: built once per request from the
 * {@link Verdict} (or, with auth off, the default account's operator).
 *
 * @param accountId the 12-digit account the caller acts for: the signing key's
 * @param accessKeyId the key that signed the request; null when auth is off
 * @param operator true for an operator (a configured admin key, or anyone while auth is off): reaches every
 *     account's resources
 */
public record Caller(String accountId, String accessKeyId, boolean operator) {
}
