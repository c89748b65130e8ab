package dev.sluice.broker.core;

/**
 * FIFO SequenceNumbers: the message's sequence number in its queue (larger for every later send,
 * the same on every replica) as a 20-digit decimal, the shape SQS returns, so that the numbers of
 * one queue compare the same as strings and as numbers.
 */
final class SequenceNumbers {
    private SequenceNumbers() {
    }

    /** ASCII digits whatever the host's locale ({@code String.format} would write Arabic-Indic digits under ar or fa). */
    static String format(long seq) {
        String digits = Long.toString(seq);
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }
}
