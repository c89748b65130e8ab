package dev.sluice.broker.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@link Workload} producer's acknowledged sends in time (nanoTime) and the node it talks to now: what the fault
 * suite's recovery figures (fault to next acknowledged send) are read from. Written by the producer's thread, read by
 * the test's.
 */
final class SendTimeline {
    private volatile int node;
    private final List<Long> acknowledgedAt = new ArrayList<>();

    SendTimeline(int node) {
        this.node = node;
    }

    /** The node the producer sends through now. */
    int node() {
        return node;
    }

    void talksTo(int node) {
        this.node = node;
    }

    synchronized void acknowledged(long nanoTime) {
        acknowledgedAt.add(nanoTime);
    }

    /** The first acknowledgement at or after {@code since} (nanoTime), or -1 if none yet. */
    synchronized long firstAcknowledgementAfter(long since) {
        long first = -1;
        for (int i = acknowledgedAt.size() - 1; i >= 0 && acknowledgedAt.get(i) >= since; i--) {
            first = acknowledgedAt.get(i);
        }
        return first;
    }
}
