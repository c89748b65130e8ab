package dev.sluice.broker.service;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The first names after a position over every data group, in name order and each once: a queue spread over several
 * groups is listed by each of them. A group that returned a full page may hold more names before another group's
 * last one, so only names up to the smallest last name of a full page are certain; when that leaves the page short,
 * the next round starts there.
 */
final class QueueNameMerge {
    private QueueNameMerge() {
    }

    interface Source {
        /** Up to {@code wanted} of the group's names after {@code startAfter} (null: from the first), in order. */
        CompletableFuture<List<String>> names(EngineQueueClient group, String startAfter, int wanted);
    }

    static CompletableFuture<List<String>> first(List<EngineQueueClient> groups, int wanted, String startAfter, Source source) {
        return round(groups, wanted, startAfter, source, new ArrayList<>());
    }

    private static CompletableFuture<List<String>> round(List<EngineQueueClient> groups, int wanted, String startAfter,
            Source source, List<String> into) {
        List<CompletableFuture<List<String>>> parts = groups.stream().map(group -> source.names(group, startAfter, wanted)).toList();
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            TreeSet<String> names = new TreeSet<>();
            String certainUpTo = null;
            for (CompletableFuture<List<String>> part : parts) {
                List<String> page = part.join();
                names.addAll(page);
                if (page.size() >= wanted) {
                    String last = page.get(page.size() - 1);
                    certainUpTo = certainUpTo == null || last.compareTo(certainUpTo) < 0 ? last : certainUpTo;
                }
            }
            for (String name : names) {
                if (into.size() == wanted || (certainUpTo != null && name.compareTo(certainUpTo) > 0)) {
                    break;
                }
                into.add(name);
            }
            if (into.size() == wanted || certainUpTo == null) {
                return CompletableFuture.completedFuture(into);
            }
            return round(groups, wanted, certainUpTo, source, into);
        });
    }
}
