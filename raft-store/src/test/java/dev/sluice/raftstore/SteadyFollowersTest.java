package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SteadyFollowersTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final SteadyFollowers followers = new SteadyFollowers(Duration.ofSeconds(10), now::get);

    @Test
    void aFollowerIsSteadyOnlyAfterBeingUpAndCaughtUpForTheWholeWait() {
        assertFalse(followers.steady(0, "n1", true), "just came up: it may still be starting");
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertFalse(followers.steady(0, "n1", true));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(followers.steady(0, "n1", true));
    }

    @Test
    void aLookThatFindsItDownOrBehindStartsTheWaitAgain() {
        followers.steady(0, "n1", true);
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertFalse(followers.steady(0, "n1", false), "restarted: down");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertFalse(followers.steady(0, "n1", true), "up again 11 s after it was first seen: the wait starts again");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertTrue(followers.steady(0, "n1", true));
    }

    @Test
    void eachGroupAndFollowerWaitsOnItsOwn() {
        followers.steady(0, "n1", true);
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertTrue(followers.steady(0, "n1", true));
        assertFalse(followers.steady(1, "n1", true), "another group");
        assertFalse(followers.steady(0, "n2", true), "another follower");
    }
}
