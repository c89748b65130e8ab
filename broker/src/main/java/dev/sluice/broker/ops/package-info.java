/** Operator endpoints: health probes and Prometheus metrics. May import Vert.x Web, Micrometer and raft-store's health. */
package dev.sluice.broker.ops;
