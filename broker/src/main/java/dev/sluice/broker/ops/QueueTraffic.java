package dev.sluice.broker.ops;

import dev.sluice.broker.core.QueueActivity;
import dev.sluice.broker.core.QueueCommandType;
import dev.sluice.broker.core.QueueCounts;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One data group's queue traffic as this node counted it: only entries it proposed as the group's leader (see
 * {@code ApplyContext#proposedHere}), so across the cluster every message counts once. The counts live as long as
 * the process, also while another node leads, and are exported only while this node leads: when leadership comes
 * back they go on from where they stopped, so {@code sum by (queue) (increase(...))} over the nodes is right; a
 * restart starts them at 0, which Prometheus reads as a counter reset. Written by the group's apply thread, read by
 * scrapes.
 */
final class QueueTraffic implements QueueActivity {
    /** Upper bounds of the sent-size buckets, in bytes: 1 KiB to 1 MiB, SQS's largest message, then +Inf. */
    static final double[] SIZE_BOUNDS = {1024, 4096, 16384, 65536, 262144, 1048576, Double.POSITIVE_INFINITY};

    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    /** Commands applied, by {@link QueueCommandType#ordinal}: one writer (the apply thread). */
    private final AtomicLongArray commands = new AtomicLongArray(QueueCommandType.values().length);

    /** The counts of one queue; each field has one writer (the apply thread). */
    static final class Tally {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong sentBytes = new AtomicLong();
        /** Per bucket of {@link #SIZE_BOUNDS}, not cumulative. */
        final AtomicLongArray sizeBuckets = new AtomicLongArray(SIZE_BOUNDS.length);
        final AtomicLong received = new AtomicLong();
        final AtomicLong deleted = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
    }

    @Override
    public void applied(QueueCommandType type) {
        commands.incrementAndGet(type.ordinal());
    }

    /** The commands of {@code type} this node applied as the group's leader. */
    long commands(QueueCommandType type) {
        return commands.get(type.ordinal());
    }

    @Override
    public void sent(String queue, int sizeBytes) {
        Tally tally = tally(queue);
        tally.sent.incrementAndGet();
        tally.sentBytes.addAndGet(sizeBytes);
        int bucket = 0;
        while (sizeBytes > SIZE_BOUNDS[bucket]) {
            bucket++;
        }
        tally.sizeBuckets.incrementAndGet(bucket);
    }

    @Override
    public void received(String queue, int count) {
        if (count > 0) {
            tally(queue).received.addAndGet(count);
        }
    }

    @Override
    public void deleted(String queue) {
        tally(queue).deleted.incrementAndGet();
    }

    @Override
    public void deadLettered(String queue) {
        tally(queue).deadLettered.incrementAndGet();
    }

    private Tally tally(String queue) {
        return tallies.computeIfAbsent(queue, name -> new Tally());
    }

    @Override
    public QueueCounts counted(String queue) {
        Tally tally = tallies.get(queue);
        return tally == null ? QueueCounts.NONE : new QueueCounts(tally.sent.get(), tally.received.get(), tally.deleted.get(),
                tally.deadLettered.get());
    }

    /** The queue's counts, or null when nothing was counted for it. */
    Tally of(String queue) {
        return tallies.get(queue);
    }

    /** Drops the counts of queues no longer in the group (deleted): a re-created queue starts from 0, a reset. */
    void retainOnly(Set<String> queues) {
        tallies.keySet().retainAll(queues);
    }
}
