package dev.sluice.raftstore;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which followers have been up and caught up for a while, per data group: what {@link LeadershipBalancer} asks before
 * it hands a group's leadership to its preferred member. A node that has just restarted answers heartbeats and holds
 * the log within a second or two, but it is still opening its stores, replaying and compiling: handed a busy group's
 * leadership then, it leads (appends, fsyncs, applies and serves) while it starts, becomes ready later, and the group
 * changes leader once more while clients write. So a follower must stay up and caught up for {@code steadyFor} first.
 * Not thread-safe: the balancer's one scheduler thread uses it.
 */
final class SteadyFollowers {
    private record Key(int group, String follower) {
    }

    private final Duration steadyFor;
    private final LongSupplier nanoTime;
    /** Since when (nanoTime) each follower has been up and caught up in each group, as the passes saw it. */
    private final Map<Key, Long> since = new HashMap<>();

    SteadyFollowers(Duration steadyFor, LongSupplier nanoTime) {
        this.steadyFor = steadyFor;
        this.nanoTime = nanoTime;
    }

    /**
     * Records whether {@code follower} of data group {@code group} is up and caught up now; true once it has been so at
     * every look for at least {@code steadyFor}. A look that finds it down or behind starts the wait again.
     */
    boolean steady(int group, String follower, boolean upAndCaughtUpNow) {
        Key key = new Key(group, follower);
        if (!upAndCaughtUpNow) {
            since.remove(key);
            return false;
        }
        long now = nanoTime.getAsLong();
        return now - since.computeIfAbsent(key, ignored -> now) >= steadyFor.toNanos();
    }
}
