package dev.sluice.broker.core;

/** An entry stamp the test drives: {@link #now} is whatever the test sets, unique bits count up. */
final class TestStamp implements EntryStamp {
    long now = 1_000_000;
    long counter;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public long[] uniqueBits() {
        counter++;
        return new long[] {counter * 31, counter};
    }
}
