package dev.sluice.benchmarks;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The phase and the counters that producers, consumers and the main thread share.
 *
 * <p>Thread-safe: workers record from the SDK's completion threads while the main thread moves the
 * phase. A completion counts into the window if the phase is {@link LoadPhase#MEASURE} when it is
 * recorded.
 */
final class LoadState {

    /** Latencies above a minute are clamped: the run itself is bounded well below that. */
    private static final long HIGHEST_LATENCY_MICROS = 60_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;

    private volatile LoadPhase phase = LoadPhase.WARMUP;
    private volatile boolean producersStopped;
    private final LongAdder sentTotal = new LongAdder();
    private final LongAdder sentInWindow = new LongAdder();
    private final LongAdder deletedTotal = new LongAdder();
    private final LongAdder deletedInWindow = new LongAdder();
    private final LongAdder receivesInWindow = new LongAdder();
    private final LongAdder receivedInWindow = new LongAdder();
    private final LongAdder foreignMessages = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Histogram latencyMicros = new ConcurrentHistogram(HIGHEST_LATENCY_MICROS, SIGNIFICANT_DIGITS);

    LoadPhase phase() {
        return phase;
    }

    /** Called by the main thread only. */
    void enter(LoadPhase next) {
        if (next.compareTo(phase) < 0) {
            throw new IllegalStateException("phase cannot go back from " + phase + " to " + next);
        }
        phase = next;
    }

    /** Called by the main thread once every producer has stopped and its last batch is answered. */
    void markProducersStopped() {
        producersStopped = true;
    }

    boolean producersStopped() {
        return producersStopped;
    }

    void recordSent(int messages) {
        sentTotal.add(messages);
        if (phase == LoadPhase.MEASURE) {
            sentInWindow.add(messages);
        }
    }

    void recordDeleted(int messages) {
        deletedTotal.add(messages);
        if (phase == LoadPhase.MEASURE) {
            deletedInWindow.add(messages);
        }
    }

    /** One answered ReceiveMessage with {@code messages} messages (possibly none). */
    void recordReceive(int messages) {
        if (phase == LoadPhase.MEASURE) {
            receivesInWindow.increment();
            receivedInWindow.add(messages);
        }
    }

    /** A received message sent {@code latencyNanos} ago; counted only inside the window. */
    void recordLatency(long latencyNanos) {
        if (phase == LoadPhase.MEASURE) {
            long micros = Math.max(0, latencyNanos / 1000);
            latencyMicros.recordValue(Math.min(micros, HIGHEST_LATENCY_MICROS));
        }
    }

    void recordForeignMessage() {
        foreignMessages.increment();
    }

    void recordErrors(int count, String description) {
        errors.add(count);
        firstError.compareAndSet(null, description);
    }

    long sentTotal() {
        return sentTotal.sum();
    }

    long sentInWindow() {
        return sentInWindow.sum();
    }

    long deletedTotal() {
        return deletedTotal.sum();
    }

    long deletedInWindow() {
        return deletedInWindow.sum();
    }

    long receivesInWindow() {
        return receivesInWindow.sum();
    }

    long receivedInWindow() {
        return receivedInWindow.sum();
    }

    long foreignMessages() {
        return foreignMessages.sum();
    }

    long errors() {
        return errors.sum();
    }

    Optional<String> firstError() {
        return Optional.ofNullable(firstError.get());
    }

    LatencySummary latency() {
        return LatencySummary.of(latencyMicros.copy());
    }
}
