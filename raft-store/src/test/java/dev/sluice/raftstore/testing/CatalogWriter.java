package dev.sluice.raftstore.testing;

import dev.sluice.raftstore.catalog.Catalog;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that keeps a bounded number of catalog puts in flight and remembers exactly which ones
 * were acknowledged, so a crash test can check that none of them is lost.
 */
public final class CatalogWriter {
    private final Catalog catalog;
    private final String namespace;
    private final Semaphore inflight;
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastAckNanos = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private long sequence;

    public CatalogWriter(Catalog catalog, String namespace, int maxInflight) {
        this.catalog = catalog;
        this.namespace = namespace;
        this.inflight = new Semaphore(maxInflight);
        this.thread = new Thread(this::run, "catalog-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                if (!inflight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            String key = String.format("w%09d", sequence++);
            catalog.put(namespace, key, key.getBytes(StandardCharsets.UTF_8)).whenComplete((replaced, error) -> {
                if (error == null) {
                    acknowledged.add(key);
                    lastAckNanos.set(System.nanoTime());
                } else {
                    failures.incrementAndGet();
                }
                inflight.release();
            });
        }
    }

    public Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    /**
     * Waits until at least {@code count} writes were acknowledged: a crash test kills only a store that
     * has taken writes, however slowly the first election went on a busy machine.
     */
    public void awaitAcknowledged(int count, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acknowledged.size() + " of " + count + " writes acknowledged within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    public long failures() {
        return failures.get();
    }

    public long lastAckNanos() {
        return lastAckNanos.get();
    }

    /** Stops issuing writes and waits up to {@code timeoutSeconds} for the outstanding ones to finish. */
    public void stopAndDrain(int maxInflight, long timeoutSeconds) throws InterruptedException {
        running = false;
        thread.join();
        inflight.tryAcquire(maxInflight, timeoutSeconds, TimeUnit.SECONDS);
    }
}
