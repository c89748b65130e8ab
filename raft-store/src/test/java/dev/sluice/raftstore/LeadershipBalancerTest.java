package dev.sluice.raftstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LeadershipBalancerTest {
    @Test
    void dataGroupIPrefersTheIthMemberSortedByIdSoSixGroupsGiveEachOfThreeNodesTwo() {
        List<String> members = List.of("n3", "n1", "n2");
        assertEquals(List.of("n1", "n2", "n3", "n1", "n2", "n3"),
                IntStream.range(0, 6).mapToObj(index -> LeadershipBalancer.preferredLeader(index, members)).toList());
    }
}
