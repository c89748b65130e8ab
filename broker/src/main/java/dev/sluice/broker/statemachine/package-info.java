/** The queue engine as a raft-store domain engine: decodes commands, applies them to the QueueBook, encodes results. */
package dev.sluice.broker.statemachine;
