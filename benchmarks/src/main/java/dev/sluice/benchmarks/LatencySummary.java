package dev.sluice.benchmarks;

import org.HdrHistogram.Histogram;

/**
 * End-to-end latency percentiles, in microseconds, of the messages received in the measured window.
 *
 * <p>Values come from an HdrHistogram with three significant digits, so each is within 0.1% of
 * the exact sample value.
 */
record LatencySummary(long samples, long p50Micros, long p99Micros, long maxMicros) {

    static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0);

    LatencySummary {
        if (samples < 0 || p50Micros < 0 || p99Micros < p50Micros || maxMicros < p99Micros) {
            throw new IllegalArgumentException("inconsistent latency summary: samples=" + samples
                    + " p50=" + p50Micros + " p99=" + p99Micros + " max=" + maxMicros);
        }
    }

    static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        long p50 = micros.getValueAtPercentile(50.0);
        long p99 = micros.getValueAtPercentile(99.0);
        // getMaxValue is the highest equivalent value of the top bucket, which can sit above p99's.
        return new LatencySummary(micros.getTotalCount(), p50, p99, Math.max(p99, micros.getMaxValue()));
    }
}
