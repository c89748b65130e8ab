package dev.sluice.broker.auth;

/**
 * Who sent a request, as routes and handlers see it to decide ownership and access: the account the signing key
 * belongs to, the key itself, and whether it is an operator (a config {@code admin=} key, or anyone while auth is
 * off, which only a loopback bind allows; then the account is the default one and the key id is null).
 *
 * @param accountId the 12-digit account of the signing key
 * @param accessKeyId the key that signed the request, or null while auth is off
 * @param operator true for an operator (may use {@code /v1/admin/...} and the internal queues)
 */
public record Caller(String accountId, String accessKeyId, boolean operator) {
}
