package dev.sluice.broker.service;

import dev.sluice.broker.core.AccountHolding;
import dev.sluice.broker.core.QueueQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What the queues of each account with a holdings quota (stored bytes, messages in flight) hold over the whole cluster,
 * as this node last summed it: every {@link #REFRESH_MILLIS} it asks every data group's leader (one query per group
 * and 1,000 accounts) and swaps the sums in whole. A round in which a group does not answer keeps the previous sums (an
 * incomplete sum would admit what the quota refuses). No account with such a quota: no reads at all. Reads are a map
 * lookup, for the send and receive paths. Thread-safe; refreshes run on the shared timer, one at a time.
 */
public final class ClusterHoldings {
    public static final long REFRESH_MILLIS = 1_000;

    private final List<EngineQueueClient> groups;
    private final Supplier<List<String>> limitedAccounts;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Map<String, AccountHolding> sums = Map.of();

    /** @param limitedAccounts the accounts with a stored-bytes or in-flight quota (a few; the others are never read) */
    public ClusterHoldings(List<EngineQueueClient> groups, Supplier<List<String>> limitedAccounts) {
        this.groups = List.copyOf(groups);
        this.limitedAccounts = limitedAccounts;
    }

    /** What {@code account}'s queues held at the last complete refresh; nothing for an account not read. */
    public AccountHolding of(String account) {
        AccountHolding holding = sums.get(account);
        return holding != null ? holding : new AccountHolding(account, 0, 0);
    }

    /** Starts one refresh unless one runs; completes when its sums are in (or it failed, keeping the last ones). */
    public CompletableFuture<Void> refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<List<AccountHolding>>> reads = new ArrayList<>();
        try {
            List<String> accounts = limitedAccounts.get();
            for (int from = 0; from < accounts.size(); from += QueueQuery.Stats.MAX_NAMES) {
                List<String> page = accounts.subList(from, Math.min(accounts.size(), from + QueueQuery.Stats.MAX_NAMES));
                groups.forEach(group -> reads.add(group.holdings(page)));
            }
        } catch (RuntimeException refused) {
            reads.add(CompletableFuture.failedFuture(refused));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenAccept(done -> {
            Map<String, AccountHolding> next = new HashMap<>();
            for (CompletableFuture<List<AccountHolding>> read : reads) {
                read.join().forEach(holding -> next.merge(holding.account(), holding, AccountHolding::plus));
            }
            sums = Map.copyOf(next);
        }).handle((done, failed) -> {
            refreshing.set(false);
            return null;
        });
    }
}
