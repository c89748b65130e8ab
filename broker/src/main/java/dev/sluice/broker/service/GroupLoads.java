package dev.sluice.broker.service;

import java.util.Set;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

/**
 * Chooses the data group for a new queue: the least loaded, by queue count and recent traffic, as this node's
 * replicas see them. Load of a group = its queues + its Raft entries of the last minute / {@value #ENTRIES_PER_QUEUE}
 * (a group that applied 6,000 entries in a minute, 100 a second, weighs as much as one more queue), so an empty
 * cluster fills groups round the clock by count and a busy group receives new queues only once the quiet ones
 * caught up. Ties go to the lowest index. Queue counts and applied indexes are local reads: concurrent creates on
 * different nodes may pick the same group, which only costs balance, never correctness.
 *
 * <p>Threads: {@link #sample} runs on one timer thread (every {@link #SAMPLE_MILLIS} ms); {@link #get} on any.
 */
public final class GroupLoads implements Function<Set<Integer>, Integer> {
    public static final long SAMPLE_MILLIS = 10_000;
    static final int SAMPLES_PER_MINUTE = 6;
    static final long ENTRIES_PER_QUEUE = 6_000;

    private final int groups;
    private final IntToLongFunction queueCount;
    private final IntToLongFunction appliedIndex;
    /** Applied index per group at each of the last SAMPLES_PER_MINUTE + 1 samples: a ring, oldest at {@code next}. */
    private final long[][] samples;
    private int next;

    public GroupLoads(int groups, IntToLongFunction queueCount, IntToLongFunction appliedIndex) {
        this.groups = groups;
        this.queueCount = queueCount;
        this.appliedIndex = appliedIndex;
        this.samples = new long[SAMPLES_PER_MINUTE + 1][groups];
        for (long[] sample : samples) {
            for (int group = 0; group < groups; group++) {
                sample[group] = appliedIndex.applyAsLong(group);
            }
        }
    }

    /** Records the groups' applied indexes now; call every {@link #SAMPLE_MILLIS}. */
    public synchronized void sample() {
        for (int group = 0; group < groups; group++) {
            samples[next][group] = appliedIndex.applyAsLong(group);
        }
        next = (next + 1) % samples.length;
    }

    /** Entries group {@code group} applied over the last minute (as sampled). */
    synchronized long recentEntries(int group) {
        int newest = (next + samples.length - 1) % samples.length;
        return Math.max(0, samples[newest][group] - samples[next][group]);
    }

    public long load(int group) {
        return queueCount.applyAsLong(group) + recentEntries(group) / ENTRIES_PER_QUEUE;
    }

    /** The least-loaded group not in {@code excluded} (the lowest such index on a tie); -1 when every group is excluded. */
    @Override
    public Integer apply(Set<Integer> excluded) {
        int best = -1;
        long bestLoad = Long.MAX_VALUE;
        for (int group = 0; group < groups; group++) {
            if (excluded.contains(group)) {
                continue;
            }
            long load = load(group);
            if (load < bestLoad) {
                best = group;
                bestLoad = load;
            }
        }
        return best;
    }
}
