package dev.sluice.broker.core;

/**
 * The exact arithmetic of {@link UsageKind#STORED_MESSAGE_BYTE_HOURS}: bytes held over a span of leader-stamped time,
 * split at clock-hour boundaries, in whole byte-hours. The byte-milliseconds below one byte-hour are not rounded away:
 * the caller carries them (under {@link #MILLIS_PER_HOUR}) into the next accrual, so the sum of every hour's count over
 * a queue's life is its byte-milliseconds divided by 3,600,000, rounded down once; each hour's count is off by less
 * than one byte-hour per queue (the carry it received or handed on). Integer arithmetic only, no overflow for any
 * {@code bytes} and span a long holds: deterministic on every replica. Stateless.
 */
public final class ByteHours {
    /** Milliseconds per hour: byte-milliseconds per byte-hour. */
    public static final long MILLIS_PER_HOUR = UsageMeter.HOUR_MILLIS;

    /** Where accrued byte-hours go. */
    @FunctionalInterface
    public interface HourSink {
        /** {@code byteHours} (> 0) completed in the hour starting at {@code hourMillis}. */
        void add(long hourMillis, long byteHours);
    }

    private ByteHours() {
    }

    /**
     * Accrues {@code bytes} held from {@code fromMillis} to {@code toMillis}: hands {@code sink} the whole byte-hours
     * each clock hour of the span completes, the carried {@code carryByteMillis} counted first, and answers the new
     * carry (0 to {@link #MILLIS_PER_HOUR} - 1). An empty or backwards span, or no bytes, accrues nothing.
     */
    public static long accrue(long bytes, long fromMillis, long toMillis, long carryByteMillis, HourSink sink) {
        if (bytes <= 0 || toMillis <= fromMillis) {
            return carryByteMillis;
        }
        long carry = carryByteMillis;
        long start = fromMillis;
        while (start < toMillis) {
            long hour = UsageMeter.hourOf(start);
            long end = Math.min(toMillis, hour + MILLIS_PER_HOUR);
            long millis = end - start;
            // bytes x millis passes Long.MAX_VALUE from 2.5 TB held an hour: split bytes at the byte-hour first.
            long whole = (bytes / MILLIS_PER_HOUR) * millis;
            long rest = (bytes % MILLIS_PER_HOUR) * millis + carry;
            whole += rest / MILLIS_PER_HOUR;
            carry = rest % MILLIS_PER_HOUR;
            if (whole > 0) {
                sink.add(hour, whole);
            }
            start = end;
        }
        return carry;
    }
}
