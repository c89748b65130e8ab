package dev.sluice.broker.quota;

import dev.sluice.broker.accounts.Account;
import dev.sluice.broker.accounts.AccountQuotas;
import dev.sluice.raftstore.ClusterView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Request-rate quotas on one node: a token bucket per (account, {@link ApiFamily}) whose rate is the account's
 * cluster-wide quota divided by the number of nodes currently serving. No node asks another per request.
 *
 * <p>Fairness bound, with N serving nodes, a quota of R per second and T seconds: the cluster admits at most
 * R·T + R calls (each node at most R/N·T plus its one-second burst R/N). A client whose calls are spread evenly over
 * the nodes (a load balancer, or the SDK resolving a round-robin name) gets about R; a client that talks to one node
 * only gets R/N. While membership changes, the split follows within one cluster-view refresh (the server re-reads
 * the view every few seconds), so the bound may be exceeded by the departed or arrived node's share for that long.
 *
 * <p>Accounts without quotas (the default account, an account this node's replica does not list yet) are not
 * limited. {@link #tryAcquire} allocates nothing once the account's buckets exist. Thread-safe: called from the
 * event loops; the quotas and node count are replaced from the refresh threads.
 */
public final class RequestRateLimiter {
    private static final ApiFamily[] FAMILIES = ApiFamily.values();

    /** One account's buckets; a null slot is a family without limit. Rebuilt lazily when {@code generation} moves. */
    private static final class AccountBuckets {
        final TokenBucket[] buckets = new TokenBucket[FAMILIES.length];
        volatile long generation = -1;
    }

    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, AccountBuckets> accounts = new ConcurrentHashMap<>();
    private final LongAdder[] refusals = new LongAdder[FAMILIES.length];
    private volatile Map<String, AccountQuotas> quotas = Map.of();
    private volatile int servingNodes = 1;
    private volatile long generation;

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}; tests pass their own) */
    public RequestRateLimiter(LongSupplier nanos) {
        this.nanos = nanos;
        for (int i = 0; i < refusals.length; i++) {
            refusals[i] = new LongAdder();
        }
    }

    /** True when the call may go on; false (and counted) when the account's share of this family's rate is used up. */
    public boolean tryAcquire(String accountId, ApiFamily family) {
        AccountBuckets account = accounts.get(accountId);
        if (account == null) {
            if (!quotas.containsKey(accountId)) {
                return true;
            }
            account = accounts.computeIfAbsent(accountId, id -> new AccountBuckets());
        }
        if (account.generation != generation) {
            resplit(accountId, account);
        }
        TokenBucket bucket = account.buckets[family.ordinal()];
        if (bucket == null || bucket.tryTake(nanos.getAsLong())) {
            return true;
        }
        refusals[family.ordinal()].increment();
        return false;
    }

    /** Whether the account has any rate limit here (a cheap check before classifying a request). */
    public boolean limits(String accountId) {
        return quotas.containsKey(accountId);
    }

    /** The nodes the rates are split over now (at least 1). */
    public int servingNodes() {
        return servingNodes;
    }

    /** Calls of this family refused on this node since start. */
    public long refusals(ApiFamily family) {
        return refusals[family.ordinal()].sum();
    }

    /** The rate this node holds for the account and family, per second; 0 for no limit. */
    public double nodeRate(String accountId, ApiFamily family) {
        AccountQuotas account = quotas.get(accountId);
        long quota = account == null ? AccountQuotas.UNLIMITED : account.get(family.quota());
        return quota == AccountQuotas.UNLIMITED ? 0 : (double) quota / servingNodes;
    }

    /** Takes the accounts as the local catalog replica lists them (closed ones too: their keys fail anyway). */
    public synchronized void accounts(List<Account> listed) {
        Map<String, AccountQuotas> next = new HashMap<>();
        for (Account account : listed) {
            if (hasRateLimit(account.quotas())) {
                next.put(account.id(), account.quotas());
            }
        }
        if (!next.equals(quotas)) {
            quotas = Map.copyOf(next);
            generation++;
        }
    }

    /** Re-splits every account's rates over the nodes of {@code view} that serve ({@link #serving}). */
    public void clusterView(ClusterView view) {
        servingNodes(serving(view));
    }

    /** Re-splits every account's rates over {@code nodes} serving nodes (at least 1). */
    public synchronized void servingNodes(int nodes) {
        int bounded = Math.max(1, nodes);
        if (bounded != servingNodes) {
            servingNodes = bounded;
            generation++;
        }
    }

    /**
     * The nodes that take API requests as this node sees them: those that published their HTTP URL and are not seen
     * down (this node is always up to itself; a peer no local group exchanges heartbeats with counts as serving, so
     * that a node never takes more than its share because it cannot see the others). At least 1.
     */
    public static int serving(ClusterView view) {
        int serving = 0;
        for (ClusterView.NodeView node : view.nodes()) {
            if (node.state() != ClusterView.NodeState.DOWN && node.httpUrl() != null && !node.httpUrl().isEmpty()) {
                serving++;
            }
        }
        return Math.max(1, serving);
    }

    private void resplit(String accountId, AccountBuckets account) {
        synchronized (account) {
            long current = generation;
            if (account.generation == current) {
                return;
            }
            AccountQuotas limits = quotas.get(accountId);
            long now = nanos.getAsLong();
            for (ApiFamily family : FAMILIES) {
                long quota = limits == null ? AccountQuotas.UNLIMITED : limits.get(family.quota());
                int slot = family.ordinal();
                if (quota == AccountQuotas.UNLIMITED) {
                    account.buckets[slot] = null;
                } else if (account.buckets[slot] == null) {
                    account.buckets[slot] = new TokenBucket((double) quota / servingNodes, now);
                } else {
                    account.buckets[slot].setRate((double) quota / servingNodes, now);
                }
            }
            account.generation = current;
        }
    }

    private static boolean hasRateLimit(AccountQuotas quotas) {
        for (ApiFamily family : FAMILIES) {
            if (quotas.get(family.quota()) != AccountQuotas.UNLIMITED) {
                return true;
            }
        }
        return false;
    }
}
