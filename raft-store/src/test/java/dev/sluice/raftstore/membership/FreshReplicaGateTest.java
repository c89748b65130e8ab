package dev.sluice.raftstore.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.membership.FreshReplicaGate.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When a node may create a replica on empty storage: never while the group's leader still counts it as a member. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FreshReplicaGateTest {
    private final FreshReplicaGate gate = new FreshReplicaGate("n3");

    private static Optional<GroupMembership> leaderReports(List<String> voters, boolean changing, long commitIndex, long lastIndex) {
        return Optional.of(new GroupMembership(voters, List.of(), "n1", changing, commitIndex, lastIndex, Map.of(), Map.of()));
    }

    @Test
    void aNodeTheGroupStillCountsAsAVoterWaitsForTheReplaceAndSaysSo() {
        assertEquals(Verdict.STILL_A_MEMBER, gate.decide("data-0", leaderReports(List.of("n1", "n2", "n3"), false, 50, 50)));
        assertTrue(gate.waiting().get("data-0").contains("node-replace n3"), gate.waiting().toString());
    }

    @Test
    void aNodeTheGroupCountsAsAListenerWaitsToo() {
        var listening = Optional.of(new GroupMembership(List.of("n1", "n2"), List.of("n3"), "n1", false, 9, 9, Map.of(), Map.of()));
        assertEquals(Verdict.STILL_A_MEMBER, gate.decide("data-0", listening));
    }

    @Test
    void aGroupToCreateIsWaitingBeforeTheFirstAnswerSoTheNodeDoesNotLookReady() {
        gate.expect("data-1");
        assertTrue(gate.waiting().containsKey("data-1"));
        assertEquals(Verdict.CREATE, gate.decide("data-1", leaderReports(List.of("n1"), false, 3, 3)));
        assertTrue(gate.waiting().isEmpty(), gate.waiting().toString());
    }

    @Test
    void withoutAnAnswerFromTheLeaderTheNodeWaits() {
        assertEquals(Verdict.NO_LEADER, gate.decide("data-0", Optional.empty()));
        assertTrue(gate.waiting().containsKey("data-0"));
    }

    @Test
    void aRemovalStillUnderWayIsWaitedFor() {
        assertEquals(Verdict.NOT_COMMITTED, gate.decide("data-0", leaderReports(List.of("n1", "n2"), true, 50, 51)));
    }

    @Test
    void aConfigurationWithoutTheNodeCountsOnlyOnceTheLeaderCommittedPastIt() {
        assertEquals(Verdict.NOT_COMMITTED, gate.decide("data-0", leaderReports(List.of("n1", "n2"), false, 50, 52)));
        // Later entries do not move the bar: the configuration seen first is at or below index 52.
        assertEquals(Verdict.NOT_COMMITTED, gate.decide("data-0", leaderReports(List.of("n1", "n2"), false, 51, 60)));
        assertEquals(Verdict.CREATE, gate.decide("data-0", leaderReports(List.of("n1", "n2"), false, 52, 60)));
        assertTrue(gate.waiting().isEmpty(), gate.waiting().toString());
    }

    @Test
    void anIdleGroupWithoutTheNodeLetsItCreateAtOnce() {
        assertEquals(Verdict.CREATE, gate.decide("data-0", leaderReports(List.of("n1"), false, 0, 0)));
    }

    @Test
    void seeingTheNodeAsAMemberAgainStartsTheWaitOver() {
        assertEquals(Verdict.NOT_COMMITTED, gate.decide("data-0", leaderReports(List.of("n1", "n2"), false, 50, 52)));
        assertEquals(Verdict.STILL_A_MEMBER, gate.decide("data-0", leaderReports(List.of("n1", "n2", "n3"), false, 53, 53)));
        assertEquals(Verdict.NOT_COMMITTED, gate.decide("data-0", leaderReports(List.of("n1", "n2"), false, 53, 70)));
        assertEquals(Verdict.CREATE, gate.decide("data-0", leaderReports(List.of("n1", "n2"), false, 70, 75)));
    }
}
