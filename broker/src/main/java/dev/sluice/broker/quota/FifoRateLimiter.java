package dev.sluice.broker.quota;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * SQS's per-queue limits of FIFO queues, on one node: per queue and API action (SendMessage, ReceiveMessage,
 * DeleteMessage; a batch is one call, so batches of 10 carry 3,000 messages a second), {@value #CALLS_PER_SECOND}
 * calls a second, or {@value #HIGH_THROUGHPUT_CALLS_PER_SECOND} in high-throughput mode
 * ({@code FifoThroughputLimit=perMessageGroupId} with {@code DeduplicationScope=messageGroup}). Source: the Amazon SQS
 * Developer Guide, "Amazon SQS message quotas" (FIFO: 300 transactions per second per API action without batching,
 * 3,000 messages with; high throughput: 70,000 per API action without batching in US East (N. Virginia), US West
 * (Oregon) and Europe (Ireland), the highest of the figures it lists), and "Troubleshoot FIFO throttling issues".
 * Like {@link RequestRateLimiter}, each node holds the limit divided by the serving nodes.
 *
 * <p>A queue's mode is learnt from its attributes ({@link #learn}) and re-read after {@link #MODE_TTL_NANOS}, so a
 * switch to or from high throughput takes effect on a node within that time. At most {@value #MAX_QUEUES} queues are
 * tracked; past that the table starts afresh (every queue's bucket full again: generous, never wrong the other way for
 * long). Thread-safe.
 */
public final class FifoRateLimiter {
    /** The actions SQS limits per FIFO queue. */
    public enum Action { SEND, RECEIVE, DELETE }

    public static final int CALLS_PER_SECOND = 300;
    public static final int HIGH_THROUGHPUT_CALLS_PER_SECOND = 70_000;
    /** How long a learnt mode is trusted before the queue's attributes are read again. */
    public static final long MODE_TTL_NANOS = 10_000_000_000L;
    static final int MAX_QUEUES = 100_000;

    /** A queue's buckets and the mode they were made for. */
    private static final class QueueBuckets {
        final TokenBucket[] buckets = new TokenBucket[Action.values().length];
        final boolean highThroughput;
        final long learntAtNanos;
        int nodes;

        QueueBuckets(boolean highThroughput, long learntAtNanos) {
            this.highThroughput = highThroughput;
            this.learntAtNanos = learntAtNanos;
        }
    }

    private final LongSupplier nanos;
    private final IntSupplier servingNodes;
    private final ConcurrentHashMap<String, QueueBuckets> queues = new ConcurrentHashMap<>();
    /** Queues whose mode is being read: one read per queue at a time. */
    private final java.util.Set<String> learning = ConcurrentHashMap.newKeySet();

    /** @param servingNodes the nodes the limit is split over ({@link RequestRateLimiter#servingNodes()}) */
    public FifoRateLimiter(LongSupplier nanos, IntSupplier servingNodes) {
        this.nanos = nanos;
        this.servingNodes = servingNodes;
    }

    /** Whether the queue's mode is known and fresh, so that {@link #tryAcquire} can decide without a read. */
    public boolean knows(String queue) {
        QueueBuckets known = queues.get(queue);
        return known != null && nanos.getAsLong() - known.learntAtNanos < MODE_TTL_NANOS;
    }

    /** True for the one caller that should read the queue's mode now (no read of it is under way). */
    public boolean startLearning(String queue) {
        return learning.size() < MAX_QUEUES && learning.add(queue);
    }

    /** The read of the queue's mode failed: the next call may try again. */
    public void forget(String queue) {
        learning.remove(queue);
    }

    /** Records the queue's mode as just read (its buckets start full, or keep their tokens when the mode is unchanged). */
    public void learn(String queue, boolean highThroughput) {
        long now = nanos.getAsLong();
        if (queues.size() >= MAX_QUEUES && !queues.containsKey(queue)) {
            queues.clear();
        }
        queues.compute(queue, (name, before) -> {
            QueueBuckets next = new QueueBuckets(highThroughput, now);
            if (before != null && before.highThroughput == highThroughput) {
                synchronized (before) {
                    System.arraycopy(before.buckets, 0, next.buckets, 0, next.buckets.length);
                    next.nodes = before.nodes;
                }
            }
            return next;
        });
        learning.remove(queue);
    }

    /** Takes one call of {@code action} on the queue; true when the queue's mode is unknown (nothing to decide by). */
    public boolean tryAcquire(String queue, Action action) {
        QueueBuckets known = queues.get(queue);
        if (known == null) {
            return true;
        }
        long now = nanos.getAsLong();
        int nodes = Math.max(1, servingNodes.getAsInt());
        TokenBucket bucket;
        synchronized (known) {
            double perSecond = (double) (known.highThroughput ? HIGH_THROUGHPUT_CALLS_PER_SECOND : CALLS_PER_SECOND) / nodes;
            bucket = known.buckets[action.ordinal()];
            if (bucket == null) {
                bucket = new TokenBucket(perSecond, now);
                known.buckets[action.ordinal()] = bucket;
            } else if (known.nodes != nodes) {
                for (TokenBucket each : known.buckets) {
                    if (each != null) {
                        each.setRate(perSecond, now);
                    }
                }
            }
            known.nodes = nodes;
        }
        return bucket.tryTake(now);
    }
}
