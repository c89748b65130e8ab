package dev.sluice.raftstore.membership;

import dev.sluice.raftstore.StoreGroups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where replicas and leaders should be: a pure, deterministic function of a layout, so that every controller
 * that runs it on the same layout plans the same moves. It changes as little as it can: members on active
 * nodes stay; missing replicas go to the least-loaded active nodes; then one replica at a time moves from the
 * most to the least loaded node until they differ by at most one; likewise for preferred leaders. The catalog
 * group lives on every active node (it is small, and every node reads its own replica).
 */
final class Placement {
    private Placement() {
    }

    static ClusterLayout plan(ClusterLayout layout) {
        List<String> active = layout.activeNodeIds();
        if (active.isEmpty()) {
            return layout;
        }
        List<ClusterLayout.Group> groups = new ArrayList<>();
        for (ClusterLayout.Group group : layout.groups()) {
            if (StoreGroups.CATALOG.equals(group.name())) {
                groups.add(group.withMembers(active).withPreferredLeader(""));
            } else {
                groups.add(group.withMembers(group.members().stream().filter(active::contains).toList()));
            }
        }
        fillAndTrim(groups, active);
        balanceReplicas(groups, active);
        balanceLeaders(groups, active);
        return new ClusterLayout(layout.nodes(), groups);
    }

    private static boolean isData(ClusterLayout.Group group) {
        return !StoreGroups.CATALOG.equals(group.name());
    }

    private static int wanted(ClusterLayout.Group group, List<String> active) {
        return group.factor() == ClusterLayout.EVERY_NODE ? active.size() : Math.max(1, Math.min(group.factor(), active.size()));
    }

    private static Map<String, Integer> replicaLoad(List<ClusterLayout.Group> groups, List<String> active) {
        Map<String, Integer> load = new TreeMap<>();
        active.forEach(id -> load.put(id, 0));
        groups.stream().filter(Placement::isData).forEach(group -> group.members().forEach(id -> load.merge(id, 1, Integer::sum)));
        return load;
    }

    private static void fillAndTrim(List<ClusterLayout.Group> groups, List<String> active) {
        for (int i = 0; i < groups.size(); i++) {
            ClusterLayout.Group group = groups.get(i);
            if (!isData(group)) {
                continue;
            }
            List<String> members = new ArrayList<>(group.members());
            while (members.size() < wanted(group, active)) {
                Map<String, Integer> load = replicaLoad(groups, active);
                String target = active.stream().filter(id -> !members.contains(id))
                        .min(Comparator.comparing((String id) -> load.get(id)).thenComparing(id -> id)).orElseThrow();
                members.add(target);
                groups.set(i, group.withMembers(members));
            }
            while (members.size() > wanted(group, active)) {
                Map<String, Integer> load = replicaLoad(groups, active);
                String leader = group.preferredLeader();
                String drop = members.stream().max(Comparator.comparing((String id) -> id.equals(leader) ? 0 : 1)
                        .thenComparing(id -> load.get(id)).thenComparing(id -> id)).orElseThrow();
                members.remove(drop);
                groups.set(i, group.withMembers(members));
            }
        }
    }

    /** Moves one replica at a time from the most to the least loaded node; bounded by the replicas there are. */
    private static void balanceReplicas(List<ClusterLayout.Group> groups, List<String> active) {
        for (int round = 0; round < groups.size() * Math.max(1, active.size()); round++) {
            Map<String, Integer> load = replicaLoad(groups, active);
            String most = maxBy(load);
            String least = minBy(load);
            if (load.get(most) - load.get(least) <= 1) {
                return;
            }
            int index = indexOfGroup(groups, group -> group.members().contains(most) && !group.members().contains(least)
                    && !group.preferredLeader().equals(most));
            if (index < 0) {
                index = indexOfGroup(groups, group -> group.members().contains(most) && !group.members().contains(least));
            }
            if (index < 0) {
                return;
            }
            ClusterLayout.Group group = groups.get(index);
            List<String> members = new ArrayList<>(group.members());
            members.remove(most);
            members.add(least);
            groups.set(index, group.withMembers(members));
        }
    }

    private static void balanceLeaders(List<ClusterLayout.Group> groups, List<String> active) {
        for (int i = 0; i < groups.size(); i++) {
            ClusterLayout.Group group = groups.get(i);
            if (isData(group) && !group.members().contains(group.preferredLeader())) {
                Map<String, Integer> leads = leaderLoad(groups, active);
                String leader = group.members().stream()
                        .min(Comparator.comparing((String id) -> leads.get(id)).thenComparing(id -> id)).orElseThrow();
                groups.set(i, group.withPreferredLeader(leader));
            }
        }
        for (int round = 0; round < groups.size() * Math.max(1, active.size()); round++) {
            Map<String, Integer> leads = leaderLoad(groups, active);
            String most = maxBy(leads);
            String least = minBy(leads);
            if (leads.get(most) - leads.get(least) <= 1) {
                return;
            }
            int index = indexOfGroup(groups, group -> isData(group) && group.preferredLeader().equals(most)
                    && group.members().contains(least));
            if (index >= 0) {
                groups.set(index, groups.get(index).withPreferredLeader(least));
            } else if (!shiftThroughAnotherNode(groups, most, least)) {
                return; // replica balance decides where least could lead; a later plan may find a group
            }
        }
    }

    /**
     * When no group {@code most} leads holds a replica on {@code least}, hands one of them to another member
     * {@code via} and one group {@code via} leads that holds {@code least} to {@code least}: {@code via} leads as many
     * as before, {@code most} one fewer, {@code least} one more. Without it a replaced node (ten groups on five nodes)
     * stayed at one leadership while another kept three. Answers whether it found such a pair.
     */
    private static boolean shiftThroughAnotherNode(List<ClusterLayout.Group> groups, String most, String least) {
        for (int first = 0; first < groups.size(); first++) {
            ClusterLayout.Group fromMost = groups.get(first);
            if (!isData(fromMost) || !fromMost.preferredLeader().equals(most)) {
                continue;
            }
            for (String via : fromMost.members()) {
                if (via.equals(most) || via.equals(least)) {
                    continue;
                }
                int second = indexOfGroup(groups, group -> group.preferredLeader().equals(via)
                        && group.members().contains(least));
                if (second >= 0) {
                    groups.set(first, fromMost.withPreferredLeader(via));
                    groups.set(second, groups.get(second).withPreferredLeader(least));
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, Integer> leaderLoad(List<ClusterLayout.Group> groups, List<String> active) {
        Map<String, Integer> leads = new TreeMap<>();
        active.forEach(id -> leads.put(id, 0));
        groups.stream().filter(Placement::isData).filter(group -> leads.containsKey(group.preferredLeader()))
                .forEach(group -> leads.merge(group.preferredLeader(), 1, Integer::sum));
        return leads;
    }

    private static String maxBy(Map<String, Integer> load) {
        return load.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
    }

    private static String minBy(Map<String, Integer> load) {
        return load.entrySet().stream().min(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
    }

    private static int indexOfGroup(List<ClusterLayout.Group> groups, java.util.function.Predicate<ClusterLayout.Group> test) {
        for (int i = 0; i < groups.size(); i++) {
            if (isData(groups.get(i)) && test.test(groups.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
