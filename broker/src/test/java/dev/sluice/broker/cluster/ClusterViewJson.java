package dev.sluice.broker.cluster;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Readings of an operator's {@code GET /v1/cluster} answer (actual members and leaders, desired members, moves), as
 * the cluster scenarios judge a layout change by them.
 */
final class ClusterViewJson {
    private ClusterViewJson() {
    }

    /** The data groups ({@code data-N}) by name, in the view's order. */
    static Map<String, JsonObject> dataGroups(JsonObject view) {
        Map<String, JsonObject> groups = new LinkedHashMap<>();
        view.getJsonArray("groups").forEach(each -> {
            JsonObject group = (JsonObject) each;
            if (group.getString("name").startsWith("data-")) {
                groups.put(group.getString("name"), group);
            }
        });
        return groups;
    }

    /** A group's actual voting members. */
    static List<String> members(JsonObject group) {
        List<String> ids = new ArrayList<>();
        group.getJsonArray("members").forEach(id -> ids.add((String) id));
        return ids;
    }

    /** No move in progress and every group led. */
    static boolean settled(JsonObject view) {
        return view.getJsonArray("moves").isEmpty()
                && view.getJsonArray("groups").stream().allMatch(group -> ((JsonObject) group).getString("leader") != null);
    }

    /** Every data group has {@code replicas} actual members. */
    static boolean everyDataGroupHas(JsonObject view, int replicas) {
        return dataGroups(view).values().stream().allMatch(group -> members(group).size() == replicas);
    }

    static List<String> groupsNotHeldBy(JsonObject view, String node) {
        return dataGroups(view).entrySet().stream().filter(group -> !members(group.getValue()).contains(node))
                .map(Map.Entry::getKey).toList();
    }

    /** How many data groups hold a replica on {@code node}. */
    static long heldBy(JsonObject view, String node) {
        return dataGroups(view).values().stream().filter(group -> members(group).contains(node)).count();
    }

    /** How many data groups {@code node} leads now. */
    static long ledBy(JsonObject view, String node) {
        return dataGroups(view).values().stream().filter(group -> node.equals(group.getString("leader"))).count();
    }

    static List<String> nodeIds(JsonObject view) {
        List<String> ids = new ArrayList<>();
        view.getJsonArray("nodes").forEach(node -> ids.add(((JsonObject) node).getString("id")));
        return ids;
    }

    /** Data replicas per listed node. */
    static Map<String, Long> replicasPerNode(JsonObject view) {
        Map<String, Long> counts = new TreeMap<>();
        nodeIds(view).forEach(id -> counts.put(id, heldBy(view, id)));
        return counts;
    }

    /** Data groups led per listed node. */
    static Map<String, Long> leadersPerNode(JsonObject view) {
        Map<String, Long> counts = new TreeMap<>();
        nodeIds(view).forEach(id -> counts.put(id, ledBy(view, id)));
        return counts;
    }

    /** Whether the counts differ by at most one between any two nodes. */
    static boolean evenWithinOne(Map<String, Long> counts) {
        long min = counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return max - min <= 1;
    }
}
