package dev.sluice.raftstore.statemachine;

import dev.sluice.raftstore.codec.EntryHeader;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.spi.StoreWriter;

/** The deterministic context of one log entry: index, stamped time, ids derived from the stamped seed. */
final class EntryApplyContext implements ApplyContext {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long logIndex;
    private final long timeMillis;
    private final long seed;
    private final StoreWriter writer;
    private final boolean proposedHere;
    private long counter;

    EntryApplyContext(long logIndex, EntryHeader header, long previousTimeMillis, StoreWriter writer, boolean proposedHere) {
        this.proposedHere = proposedHere;
        this.logIndex = logIndex;
        this.timeMillis = Math.max(header.leaderTimeMillis(), previousTimeMillis);
        this.seed = header.seed();
        this.writer = writer;
    }

    @Override
    public long logIndex() {
        return logIndex;
    }

    @Override
    public boolean proposedHere() {
        return proposedHere;
    }

    @Override
    public long timeMillis() {
        return timeMillis;
    }

    @Override
    public long[] uniqueBits() {
        long n = counter++;
        // The low word is unique by construction (index, counter); the high word is unguessable.
        return new long[] {mix(seed + GOLDEN_GAMMA * (n + 1) + logIndex), (logIndex << 24) | (n & 0xFFFFFF)};
    }

    @Override
    public StoreWriter writer() {
        return writer;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
