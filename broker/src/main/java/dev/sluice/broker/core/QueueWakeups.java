package dev.sluice.broker.core;

/**
 * Told by the apply thread when a queue may have new visible messages (a send, a visibility reset,
 * a dead-letter move, deletion), so long polls waiting on this replica try again. Must not block.
 */
@FunctionalInterface
public interface QueueWakeups {
    void queueChanged(String queueName);
}
