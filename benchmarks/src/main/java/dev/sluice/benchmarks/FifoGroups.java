package dev.sluice.benchmarks;

import java.util.concurrent.atomic.AtomicLong;

/** MessageGroupIds handed out round-robin over a fixed number of groups, shared by all producers. Thread-safe. */
final class FifoGroups {

    private final int groups;
    private final AtomicLong next = new AtomicLong();

    FifoGroups(int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException("need at least one group: " + groups);
        }
        this.groups = groups;
    }

    String next() {
        return "group-" + Math.floorMod(next.getAndIncrement(), groups);
    }
}
