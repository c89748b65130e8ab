/**
 * Request authentication: verifies AWS Signature Version 4 (header and presigned forms) against the
 * access keys of a {@link dev.sluice.broker.auth.KeyDirectory}, and names the {@link dev.sluice.broker.auth.Caller}
 * (account, key, operator) that routes see. Pure: imports client-sdk's {@code auth} (the one SigV4 canonicalisation) and the
 * JDK, no Vert.x; the HTTP layer ({@code api.http}) adapts requests to it and writes its refusals.
 */
package dev.sluice.broker.auth;
