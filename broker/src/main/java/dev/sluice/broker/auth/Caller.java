package dev.sluice.broker.auth;

/**
 * Who makes a request, as routes and handlers need it to decide ownership and policies.
 *
 * @param accountId the 12-digit account the signing key belongs to (the default account when auth is off)
 * @param accessKeyId the key that signed the request, or null for an unsigned caller (auth off)
 * @param operator true for a configured admin key, or for every caller while auth is off
 */
public record Caller(String accountId, String accessKeyId, boolean operator) {
}
