/**
 * Quotas enforced at the edge (issue 16 D): per-account request-rate token buckets per API family, each node holding
 * its share of the account's cluster-wide rate. Pure: imports {@code accounts} (the quota values), raft-store's
 * {@code ClusterView} record and the JDK; no Vert.x, no HTTP (the route adapter lives in {@code api.http}).
 */
package dev.sluice.broker.quota;
