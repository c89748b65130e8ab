/**
 * Request authentication: verifies AWS Signature Version 4 (header and presigned forms) against the
 * configured access keys. Pure: imports client-sdk's {@code auth} (the one SigV4 canonicalisation) and the
 * JDK, no Vert.x; the HTTP layer ({@code api.http}) adapts requests to it and writes its refusals.
 */
package dev.sluice.broker.auth;
