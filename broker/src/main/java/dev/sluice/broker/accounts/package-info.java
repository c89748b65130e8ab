/**
 * Accounts and their access keys (issue 16 A): records and their catalog codec, the sealing of secrets under the
 * cluster key, the operator's changes through the replicated catalog, and the live key directory the SigV4 verifier
 * reads. Imports {@code auth}, {@code config}, raft-store's catalog and codec, the JDK; no Vert.x, no HTTP.
 */
package dev.sluice.broker.accounts;
