package dev.sluice.raftstore.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.raftstore.StoreGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PlacementTest {

    static List<ClusterLayout.Node> nodes(int count) {
        List<ClusterLayout.Node> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(new ClusterLayout.Node("n" + i, "10.0.0." + i, 9325, "", ClusterLayout.NodeState.ACTIVE));
        }
        return nodes;
    }

    static ClusterLayout initial(int nodes, int dataGroups) {
        return LayoutChanges.initial(nodes(nodes), StoreGroups.names(dataGroups));
    }

    private static Map<String, Integer> replicas(ClusterLayout layout) {
        Map<String, Integer> counts = new HashMap<>();
        layout.activeNodeIds().forEach(id -> counts.put(id, 0));
        layout.groups().stream().filter(group -> !group.name().equals("catalog"))
                .forEach(group -> group.members().forEach(id -> counts.merge(id, 1, Integer::sum)));
        return counts;
    }

    private static Map<String, Integer> leaders(ClusterLayout layout) {
        Map<String, Integer> counts = new HashMap<>();
        layout.activeNodeIds().forEach(id -> counts.put(id, 0));
        layout.groups().stream().filter(group -> !group.name().equals("catalog"))
                .forEach(group -> counts.merge(group.preferredLeader(), 1, Integer::sum));
        return counts;
    }

    private static void assertSpreadWithinOne(Map<String, Integer> counts) {
        IntSummaryStatistics stats = counts.values().stream().mapToInt(Integer::intValue).summaryStatistics();
        assertTrue(stats.getMax() - stats.getMin() <= 1, "spread within one: " + counts);
    }

    @Test
    void threeNodesHoldEveryGroupAndGroupIPrefersTheIthNodeAsBeforeLayouts() {
        ClusterLayout layout = initial(3, 4);
        assertEquals(List.of("n1", "n2", "n3"), layout.group("catalog").orElseThrow().members());
        for (int i = 0; i < 4; i++) {
            ClusterLayout.Group group = layout.group("data-" + i).orElseThrow();
            assertEquals(List.of("n1", "n2", "n3"), group.members());
            assertEquals("n" + (i % 3 + 1), group.preferredLeader());
        }
    }

    @Test
    void aSingleNodeHoldsEveryGroupAlone() {
        ClusterLayout layout = initial(1, 2);
        assertEquals(List.of("n1"), layout.group("data-1").orElseThrow().members());
    }

    @Test
    void fiveNodesWithTenGroupsHoldThreeReplicasEachSpreadEvenlyAndLeadTwoEach() {
        ClusterLayout layout = initial(5, 10);
        layout.groups().stream().filter(group -> !group.name().equals("catalog"))
                .forEach(group -> assertEquals(3, group.members().size(), group.name()));
        assertEquals(Map.of("n1", 6, "n2", 6, "n3", 6, "n4", 6, "n5", 6), replicas(layout));
        assertEquals(Map.of("n1", 2, "n2", 2, "n3", 2, "n4", 2, "n5", 2), leaders(layout));
    }

    @Test
    void anAddedNodeGetsItsShareOfReplicasAndLeadersAndAPlannedLayoutStaysAsItIs() {
        ClusterLayout layout = initial(5, 10);
        ClusterLayout.Node sixth = new ClusterLayout.Node("n6", "10.0.0.6", 9325, "", ClusterLayout.NodeState.ACTIVE);
        ClusterLayout grown = LayoutChanges.addNode(layout, sixth);
        assertSpreadWithinOne(replicas(grown));
        assertSpreadWithinOne(leaders(grown));
        assertTrue(grown.group("catalog").orElseThrow().members().contains("n6"));
        assertEquals(grown, Placement.plan(grown));
        assertEquals(grown, LayoutChanges.addNode(grown, sixth), "adding the same node again changes nothing");
        int moved = 0;
        for (ClusterLayout.Group group : grown.groups().subList(1, grown.groups().size())) {
            List<String> before = layout.group(group.name()).orElseThrow().members();
            moved += (int) group.members().stream().filter(id -> !before.contains(id)).count();
        }
        assertEquals(5, moved, "only the new node's share of the 30 data replicas moved");
    }

    @Test
    void aLeavingNodeHoldsNothingAndItsReplicasGoToTheOthers() {
        ClusterLayout layout = initial(4, 4);
        ClusterLayout shrunk = LayoutChanges.removeNode(layout, "n2");
        shrunk.groups().forEach(group -> assertFalse(group.members().contains("n2"), group.name()));
        shrunk.groups().stream().filter(group -> !group.name().equals("catalog"))
                .forEach(group -> assertEquals(3, group.members().size()));
        assertEquals(shrunk, LayoutChanges.removeNode(shrunk, "n2"), "removing twice changes nothing");
    }

    @Test
    void removingANodeTheOthersCannotReplaceIsRefused() {
        ClusterLayout layout = initial(3, 2);
        var refused = assertThrows(ClusterChangeRefusedException.class, () -> LayoutChanges.removeNode(layout, "n3"));
        assertEquals(ClusterChangeRefusedException.Reason.CONFLICT, refused.reason());
    }

    @Test
    void aPreferredLeaderChosenByTheOperatorSwapsWithAGroupItLedSoLeadersStaySpread() {
        ClusterLayout layout = initial(3, 3);
        ClusterLayout changed = LayoutChanges.preferLeader(layout, "data-0", "n2");
        assertEquals("n2", changed.group("data-0").orElseThrow().preferredLeader());
        assertEquals("n1", changed.group("data-1").orElseThrow().preferredLeader());
        assertEquals(Map.of("n1", 1, "n2", 1, "n3", 1), leaders(changed));
        assertEquals(changed, Placement.plan(changed));
    }

    @Test
    void badOperatorInputIsRefusedWithTheRightReason() {
        ClusterLayout layout = initial(3, 2);
        assertEquals(ClusterChangeRefusedException.Reason.NOT_FOUND, assertThrows(ClusterChangeRefusedException.class,
                () -> LayoutChanges.preferLeader(layout, "data-9", "n1")).reason());
        assertEquals(ClusterChangeRefusedException.Reason.INVALID, assertThrows(ClusterChangeRefusedException.class,
                () -> LayoutChanges.preferLeader(layout, "catalog", "n1")).reason());
        assertEquals(ClusterChangeRefusedException.Reason.INVALID, assertThrows(ClusterChangeRefusedException.class,
                () -> LayoutChanges.setReplicationFactor(layout, "data-0", 4)).reason());
        assertEquals(ClusterChangeRefusedException.Reason.NOT_FOUND, assertThrows(ClusterChangeRefusedException.class,
                () -> LayoutChanges.replaceNode(layout, "n9")).reason());
        ClusterLayout.Node clash = new ClusterLayout.Node("n1", "10.9.9.9", 9325, "", ClusterLayout.NodeState.ACTIVE);
        assertEquals(ClusterChangeRefusedException.Reason.CONFLICT, assertThrows(ClusterChangeRefusedException.class,
                () -> LayoutChanges.addNode(layout, clash)).reason());
    }

    @Test
    void aLowerReplicationFactorDropsReplicasButNotThePreferredLeader() {
        ClusterLayout layout = initial(3, 3);
        ClusterLayout lowered = LayoutChanges.setReplicationFactor(layout, "data-1", 1);
        assertEquals(List.of("n2"), lowered.group("data-1").orElseThrow().members());
        assertEquals(1, lowered.group("data-1").orElseThrow().factor());
    }

    @Test
    void aReplacedNodeLeavesEveryGroupUntilItIsActiveAgain() {
        ClusterLayout layout = initial(3, 2);
        ClusterLayout replacing = LayoutChanges.replaceNode(layout, "n2");
        replacing.groups().forEach(group -> assertFalse(group.members().contains("n2"), group.name()));
        assertEquals(replacing, LayoutChanges.replaceNode(replacing, "n2"));
    }

    @Test
    void leadersSpreadWithinOneWhenTheLeastLoadedNodeSharesNoGroupWithTheMostLoaded() {
        // The layout a replaced n3 got back (ten groups on five nodes): the three groups n2 prefers hold no replica
        // on n3, so no single hand-over evens them out; one through n4 does.
        List<ClusterLayout.Node> nodes = nodes(6).stream().filter(node -> !node.id().equals("n5")).toList();
        List<String> all = nodes.stream().map(ClusterLayout.Node::id).toList();
        String[][] groups = {{"n2,n3,n6", "n6"}, {"n1,n3,n6", "n3"}, {"n1,n3,n6", "n1"}, {"n3,n4,n6", "n4"},
            {"n3,n4,n6", "n6"}, {"n1,n2,n3", "n1"}, {"n2,n4,n6", "n2"}, {"n1,n2,n4", "n2"}, {"n1,n2,n4", "n4"},
            {"n1,n2,n4", "n2"}};
        List<ClusterLayout.Group> layoutGroups = new ArrayList<>(List.of(new ClusterLayout.Group("catalog", 0, all, "")));
        for (int i = 0; i < groups.length; i++) {
            layoutGroups.add(new ClusterLayout.Group("data-" + i, 3, List.of(groups[i][0].split(",")), groups[i][1]));
        }
        ClusterLayout layout = new ClusterLayout(nodes, layoutGroups);
        assertEquals(Map.of("n1", 2, "n2", 3, "n3", 1, "n4", 2, "n6", 2), leaders(layout));

        ClusterLayout planned = Placement.plan(layout);
        assertSpreadWithinOne(leaders(planned));
        assertEquals(replicas(layout), replicas(planned), "replicas stay where they are");
        for (ClusterLayout.Group group : planned.groups()) {
            assertEquals(layout.group(group.name()).orElseThrow().members(), group.members(), group.name());
        }
        assertEquals(planned, Placement.plan(planned));
    }
}
