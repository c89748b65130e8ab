/**
 * The HTTP floor: an in-memory SQS served through Sluice's own HTTP front, authentication handler and SQS routes, so
 * that a load run measures what the HTTP stack, the JSON codec and the AWS SDK client cost when the server does no
 * durable work. May import broker's edge (api.http, api.sqs, service validation) and client-sdk's records; nothing of
 * Raft or RocksDB.
 */
package dev.sluice.benchmarks.floor;
