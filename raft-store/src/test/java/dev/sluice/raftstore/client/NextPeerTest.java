package dev.sluice.raftstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NextPeerTest {
    private static final long ATTEMPT = TimeUnit.SECONDS.toNanos(1);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final NextPeer next = new NextPeer(List.of("n1", "n2", "n3"), ATTEMPT);

    @Test
    void theLeaderThisNodesReplicaFollowsIsAskedFirst() {
        assertEquals("n3", next.choose("n3", 0));
    }

    @Test
    void aLeaderThatJustFailedIsNotAskedAgainWhileTheReplicaStillNamesItButItsSuccessorIsAskedAtOnce() {
        next.failed("n1", null, 0);
        assertNull(next.choose("n1", 10 * MS), "the replica has not noticed the failure yet: wait for the election");
        assertNull(next.choose(null, 500 * MS), "election running");
        assertEquals("n2", next.choose("n2", 700 * MS));
    }

    @Test
    void aRefusingMembersSuggestedLeaderIsAskedWhenTheReplicaKnowsNoBetter() {
        next.failed("n1", "n2", 0);
        assertEquals("n2", next.choose("n1", MS));
    }

    @Test
    void aSilentLeaderIsAskedAgainAfterAnAttemptTimeout() {
        next.failed("n1", null, 0);
        assertNull(next.choose("n1", ATTEMPT - MS));
        assertEquals("n1", next.choose("n1", ATTEMPT), "a slow but live leader: the same call id again");
    }

    @Test
    void withNothingToFollowForAnAttemptTimeoutTheMembersAreAskedInTurnTheLongestFailedFirst() {
        next.failed("n1", null, 0);
        next.failed("n2", null, 10 * MS);
        assertNull(next.choose(null, 20 * MS));
        assertEquals("n3", next.choose(null, 20 * MS + ATTEMPT), "never failed");
        next.failed("n3", null, 30 * MS + ATTEMPT);
        assertNull(next.choose(null, 40 * MS + ATTEMPT), "each turn waits an attempt timeout for the replica first");
        assertEquals("n1", next.choose(null, 40 * MS + 2 * ATTEMPT), "failed longest ago");
    }
}
