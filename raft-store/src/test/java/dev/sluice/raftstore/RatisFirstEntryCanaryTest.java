package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the reason for {@code GroupFounding} visible on a Ratis upgrade: in Ratis 3.3.0 a follower that receives
 * a heartbeat without a previous entry sets its commit index to min(leader commit, 0), so it commits whatever entry
 * it holds at index 0, even one the leader never wrote (docs/issue14-data3-stall.md). When this fails, the Ratis in
 * use reads "no previous entry" differently: check whether a follower can still commit a stale index 0 before
 * relying on it, and update the doc.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RatisFirstEntryCanaryTest {
    @Test
    void aHeartbeatWithoutAPreviousEntryMakesAFollowerCommitIndexZeroWhateverItHolds() throws Exception {
        Class<?> utils = Class.forName("org.apache.ratis.server.impl.ServerImplUtils");
        Method effective = utils.getDeclaredMethod("effectiveCommitIndex", long.class, TermIndex.class, int.class);
        effective.setAccessible(true);
        long leaderCommit = 77;
        assertEquals(0L, (long) effective.invoke(null, leaderCommit, null, 0),
                "commit index a follower takes from a heartbeat (no entries) without a previous entry");
        assertEquals(5L, (long) effective.invoke(null, leaderCommit, TermIndex.valueOf(3, 5), 0),
                "with a previous entry the follower commits up to it");
    }
}
