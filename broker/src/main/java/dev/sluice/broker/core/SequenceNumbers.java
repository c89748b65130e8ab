package dev.sluice.broker.core;

/**
 * FIFO SequenceNumbers: the message's sequence number in its queue (larger for every later send,
 * the same on every replica) as a 20-digit decimal, the shape SQS returns, so that the numbers of
 * one queue compare the same as strings and as numbers.
 */
final class SequenceNumbers {
    private SequenceNumbers() {
    }

    static String format(long seq) {
        return String.format("%020d", seq);
    }
}
