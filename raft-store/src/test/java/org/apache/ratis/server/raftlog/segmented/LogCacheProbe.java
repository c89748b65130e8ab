package org.apache.ratis.server.raftlog.segmented;

import org.apache.ratis.server.raftlog.RaftLog;

/**
 * What a segmented Raft log keeps in the heap, read where Ratis keeps it package-private: tests only
 * ({@code dev.sluice.raftstore.LogHeapRetentionIT}).
 */
public final class LogCacheProbe {
    private LogCacheProbe() {
    }

    /** The closed segments whose entries {@code log} still holds in the heap. */
    public static long cachedClosedSegments(RaftLog log) {
        return ((SegmentedRaftLog) log).getRaftLogCache().getCachedSegmentNum();
    }

    /** The closed segments of {@code log}, cached or not. */
    public static long closedSegments(RaftLog log) {
        return ((SegmentedRaftLog) log).getRaftLogCache().getNumOfSegments() - 1;
    }
}
