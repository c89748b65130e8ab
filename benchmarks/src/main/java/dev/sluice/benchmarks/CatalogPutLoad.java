package dev.sluice.benchmarks;

import dev.sluice.raftstore.catalog.Catalog;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop catalog puts: {@code clients} independent chains, each with exactly one put
 * outstanding, issuing the next as soon as the previous one is committed. So {@code clients} is the
 * concurrency the store sees, and the group client may pack up to that many puts into one entry.
 *
 * <p>Latency is from {@link Catalog#put} to the completion of its future: the wait for a free
 * in-flight slot in the group client, the Raft round trip (append, fsync, replication on a
 * quorum), apply into RocksDB, and the reply. Keys are unique per put, so every put inserts.
 *
 * <p>Thread-safe: chains continue on Ratis client threads; the main thread moves the phase. A put
 * counts into the window when it completes while the phase is {@link LoadPhase#MEASURE}.
 */
final class CatalogPutLoad {

    static final String NAMESPACE = "bench";
    /** Latencies above a minute are clamped: the request timeout is well below that. */
    private static final long HIGHEST_LATENCY_MICROS = 60_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;
    /** After a failed put a chain pauses, so a leaderless cluster is not hammered in a tight loop. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private final Catalog catalog;
    private final int clients;
    private final byte[] value;
    private final Executor retryPause = CompletableFuture.delayedExecutor(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
    private final long[] sequences;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final CompletableFuture<Void> allStopped = new CompletableFuture<>();
    private final LongAdder committedTotal = new LongAdder();
    private final LongAdder committedInWindow = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Histogram latencyMicros = new ConcurrentHistogram(HIGHEST_LATENCY_MICROS, SIGNIFICANT_DIGITS);
    private volatile LoadPhase phase = LoadPhase.WARMUP;

    CatalogPutLoad(Catalog catalog, int clients, int valueBytes) {
        this.catalog = catalog;
        this.clients = clients;
        this.value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'v');
        this.sequences = new long[clients];
    }

    /** Starts every chain; called once. */
    void start() {
        for (int client = 0; client < clients; client++) {
            outstanding.incrementAndGet();
            putNext(client);
        }
    }

    /** Called by the main thread only; phases only move forward. */
    void enter(LoadPhase next) {
        if (next.compareTo(phase) < 0) {
            throw new IllegalStateException("phase cannot go back from " + phase + " to " + next);
        }
        phase = next;
    }

    /** Completes when every chain has seen its last put answered after {@link LoadPhase#DRAIN}. */
    CompletableFuture<Void> stopped() {
        return allStopped;
    }

    /** Each chain's sequence is touched by one thread at a time: the one completing its previous put. */
    private void putNext(int client) {
        if (phase.compareTo(LoadPhase.DRAIN) >= 0) {
            if (outstanding.decrementAndGet() == 0) {
                allStopped.complete(null);
            }
            return;
        }
        String key = "c" + client + "-" + sequences[client]++;
        long started = System.nanoTime();
        CompletableFuture<Boolean> put;
        try {
            put = catalog.put(NAMESPACE, key, value);
        } catch (RuntimeException e) {
            put = CompletableFuture.failedFuture(e);
        }
        put.whenComplete((replaced, error) -> {
            if (error == null) {
                recordCommitted(System.nanoTime() - started);
                putNext(client);
            } else {
                recordError(error);
                retryPause.execute(() -> putNext(client));
            }
        });
    }

    private void recordCommitted(long latencyNanos) {
        committedTotal.increment();
        if (phase == LoadPhase.MEASURE) {
            committedInWindow.increment();
            latencyMicros.recordValue(Math.min(Math.max(0, latencyNanos / 1000), HIGHEST_LATENCY_MICROS));
        }
    }

    private void recordError(Throwable error) {
        errors.increment();
        firstError.compareAndSet(null, SqsLoadGenerator.describe(error));
    }

    long committedTotal() {
        return committedTotal.sum();
    }

    long committedInWindow() {
        return committedInWindow.sum();
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
