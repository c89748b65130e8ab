/**
 * Operator endpoints: health probes and Prometheus metrics (JVM, Raft, per queue, per topic, per API action). May
 * import Vert.x Web, Micrometer and its Prometheus model, raft-store, the queue engine's read side ({@code core},
 * {@code statemachine}) and notify's counts; nothing imports it but the composition root.
 */
package dev.sluice.broker.ops;
