package dev.sluice.broker.core;

/**
 * Told by the apply thread when a queue may have new visible messages (a send, a visibility reset,
 * a dead-letter move, deletion), so long polls waiting on this replica try again. Must not block.
 */
@FunctionalInterface
public interface QueueWakeups {
    /** Something about the queue changed in a way that may concern every waiting long poll (wake them all). */
    void queueChanged(String queueName);

    /**
     * {@code count} more receives could now find a message (ready messages, or a FIFO queue's receivable groups), and
     * nothing else changed for the waiters: waking more long polls than that only makes the rest propose empty
     * receives. By default every waiter is woken.
     */
    default void messagesReady(String queueName, long count) {
        queueChanged(queueName);
    }
}
