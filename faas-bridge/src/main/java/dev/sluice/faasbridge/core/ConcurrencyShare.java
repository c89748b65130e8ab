package dev.sluice.faasbridge.core;

import java.util.List;

/**
 * How the bridges serving one mapping split its {@code MaximumConcurrency}, so that together they never
 * run more than that: each live bridge (sorted by id) gets {@code maximum / n}, and the first
 * {@code maximum % n} get one more. A bridge may get 0 (more bridges than the maximum) and then polls
 * nothing for that mapping.
 */
public final class ConcurrencyShare {
    private ConcurrencyShare() {
    }

    /**
     * @param maximum     the mapping's MaximumConcurrency
     * @param liveBridges ids of the live bridges, this one included, sorted
     * @param self        this bridge's id
     */
    public static int of(int maximum, List<String> liveBridges, String self) {
        int count = liveBridges.size();
        int index = liveBridges.indexOf(self);
        if (count == 0 || index < 0) {
            throw new IllegalArgumentException("the live bridges must include this one (" + self + "): " + liveBridges);
        }
        return maximum / count + (index < maximum % count ? 1 : 0);
    }
}
