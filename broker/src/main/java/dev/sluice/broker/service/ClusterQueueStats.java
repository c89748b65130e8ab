package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueStats;
import dev.sluice.raftstore.StoreGroups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Queues' backlogs and traffic counts as the leaders of their groups know them, whichever node asks: the console's
 * rates and oldest ages on any node of a cluster. The counts live only on the node that led a group while the traffic
 * went through it, so they are read there, through the group's query path (one read per group holding any of the
 * names, never one per queue), and a queue spread over several groups adds up its groups' answers. A queue one of
 * whose groups did not answer is left out rather than shown with part of its numbers. Thread-safe, never blocks.
 */
public final class ClusterQueueStats {
    private final List<EngineQueueClient> groups;
    private final Function<String, CompletableFuture<Placement>> placementOf;

    /** @param placementOf where a queue's name lives (the router's cached placement) */
    public ClusterQueueStats(List<EngineQueueClient> groups, Function<String, CompletableFuture<Placement>> placementOf) {
        this.groups = List.copyOf(groups);
        this.placementOf = placementOf;
    }

    /** The numbers of each of {@code names} found, by name, and the data groups that did not answer. */
    public record Answer(Map<String, QueueStats> stats, List<String> unavailableGroups) {
    }

    public CompletableFuture<Answer> of(List<String> names) {
        Map<String, CompletableFuture<Placement>> placements = new LinkedHashMap<>();
        names.forEach(name -> placements.put(name, placementOf.apply(name).exceptionally(missing -> null)));
        return CompletableFuture.allOf(placements.values().toArray(CompletableFuture[]::new))
                .thenCompose(placed -> read(placements));
    }

    private CompletableFuture<Answer> read(Map<String, CompletableFuture<Placement>> placements) {
        Map<Integer, List<String>> namesByGroup = new TreeMap<>();
        placements.forEach((name, placement) -> {
            Placement where = placement.join();
            if (where != null) {
                where.groups().forEach(group -> namesByGroup.computeIfAbsent(group, index -> new ArrayList<>()).add(name));
            }
        });
        Map<Integer, CompletableFuture<List<QueueStats>>> reads = new TreeMap<>();
        namesByGroup.forEach((group, inGroup) -> reads.put(group, groups.get(group).stats(inGroup)
                .exceptionally(unavailable -> null)));
        return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, QueueStats> stats = new TreeMap<>();
            Set<String> incomplete = new TreeSet<>();
            List<String> unavailable = new ArrayList<>();
            reads.forEach((group, read) -> {
                List<QueueStats> answer = read.join();
                if (answer == null) {
                    unavailable.add(StoreGroups.dataGroupName(group));
                    incomplete.addAll(namesByGroup.get(group));
                    return;
                }
                answer.forEach(one -> stats.merge(one.depth().queue(), one, QueueStats::plus));
            });
            incomplete.forEach(stats::remove);
            return new Answer(stats, unavailable);
        });
    }
}
