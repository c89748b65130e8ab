package dev.sluice.broker.service;

import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageRow;
import dev.sluice.broker.core.UsageRows;
import dev.sluice.broker.storage.UsageStore;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.raftstore.StoreGroups;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * An account's usage (or every account's) summed over every data group, each read through its group's query path
 * (its leader, linearizable), whichever node asks. Every group counts the commands it applied, so the sum is the
 * cluster's usage; a group that does not answer fails the read (ServiceUnavailable) rather than giving a smaller,
 * wrong number. Thread-safe, never blocks.
 */
public final class ClusterUsage {
    private final List<EngineQueueClient> groups;

    public ClusterUsage(List<EngineQueueClient> groups) {
        this.groups = List.copyOf(groups);
    }

    /** Usage per account, hour (start, epoch millis) and kind; kinds without use are absent. */
    public record Table(SortedMap<String, SortedMap<Long, Map<UsageKind, Long>>> accounts) {
    }

    /**
     * The usage of hours starting in [{@code fromMillis}, {@code toMillis}) of {@code account}, or of every account
     * when null.
     */
    public CompletableFuture<Table> read(String account, long fromMillis, long toMillis) {
        List<CompletableFuture<UsageRows>> reads = new ArrayList<>();
        for (EngineQueueClient group : groups) {
            reads.add(group.usage(account == null ? "" : account, fromMillis, toMillis));
        }
        return CompletableFuture.allOf(reads.stream().map(read -> read.exceptionally(failed -> null))
                .toArray(CompletableFuture[]::new)).thenApply(done -> sum(reads));
    }

    private static Table sum(List<CompletableFuture<UsageRows>> reads) {
        SortedMap<String, SortedMap<Long, Map<UsageKind, Long>>> accounts = new TreeMap<>();
        for (int group = 0; group < reads.size(); group++) {
            UsageRows rows = reads.get(group).exceptionally(failed -> null).join();
            if (rows == null) {
                throw new SqsException(SqsError.SERVICE_UNAVAILABLE, StoreGroups.dataGroupName(group)
                        + " did not answer: usage would be incomplete; try again");
            }
            if (rows.truncated()) {
                throw new SqsException(SqsError.INVALID_PARAMETER_VALUE, "more than " + UsageStore.MAX_ROWS
                        + " usage counters match: name an account or a shorter time range");
            }
            for (UsageRow row : rows.rows()) {
                accounts.computeIfAbsent(row.account(), ignored -> new TreeMap<>())
                        .computeIfAbsent(row.hourMillis(), ignored -> new EnumMap<>(UsageKind.class))
                        .merge(row.kind(), row.amount(), Long::sum);
            }
        }
        return new Table(accounts);
    }
}
