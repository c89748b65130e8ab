/**
 * Operator endpoints: health probes and Prometheus metrics (JVM, Raft, per queue, per topic, per API action). May
 * import Vert.x Web, Micrometer and its Prometheus model, raft-store, the queue engine's read side ({@code core},
 * {@code statemachine}), notify's counts, and the REST API's {@code TopicCounts} it implements (a topic's counts summed
 * over the nodes); nothing imports it but the composition root.
 */
package dev.sluice.broker.ops;
