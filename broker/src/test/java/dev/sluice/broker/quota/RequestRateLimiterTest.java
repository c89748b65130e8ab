package dev.sluice.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.broker.accounts.Account;
import dev.sluice.broker.accounts.AccountQuotas;
import dev.sluice.broker.accounts.AccountQuotas.Quota;
import dev.sluice.raftstore.ClusterView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-node token buckets, on a clock the test moves: bursts, refill, families apart, the split over nodes. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RequestRateLimiterTest {
    private static final String TENANT = "111122223333";
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RequestRateLimiter limiter = new RequestRateLimiter(nanos::get);

    private static Account tenantWith(long sendPerSecond) {
        return new Account(TENANT, "Tenant", Account.State.OPEN, 0, AccountQuotas.NEW_ACCOUNT.with(Map.of(
                Quota.SQS_SEND_PER_SECOND, sendPerSecond, Quota.SQS_RECEIVE_PER_SECOND, AccountQuotas.UNLIMITED)));
    }

    private int admitted(ApiFamily family, int attempts) {
        int admitted = 0;
        for (int i = 0; i < attempts; i++) {
            admitted += limiter.tryAcquire(TENANT, family) ? 1 : 0;
        }
        return admitted;
    }

    @Test
    void aQuietAccountBurstsOneSecondOfItsRateThenIsHeldToTheRate() {
        limiter.accounts(List.of(tenantWith(10)));
        assertEquals(10, admitted(ApiFamily.SQS_SEND, 50));
        assertEquals(1, limiter.refusals(ApiFamily.SQS_SEND) / 40);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(300));
        assertEquals(3, admitted(ApiFamily.SQS_SEND, 50));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertEquals(10, admitted(ApiFamily.SQS_SEND, 50), "the bucket holds at most one second of the rate");
    }

    @Test
    void familiesHaveTheirOwnBucketsAndAnUnlimitedFamilyOrAccountIsNeverRefused() {
        limiter.accounts(List.of(tenantWith(2)));
        assertEquals(2, admitted(ApiFamily.SQS_SEND, 5));
        assertEquals(3_000, admitted(ApiFamily.SQS_OTHER, 3_500), "sqs-other keeps the new-account default");
        assertEquals(10_000, admitted(ApiFamily.SQS_RECEIVE, 10_000));
        assertTrue(limiter.tryAcquire("000000000000", ApiFamily.SQS_SEND));
        assertFalse(limiter.limits("000000000000"));
        assertEquals(3 + 500, limiter.refusals(ApiFamily.SQS_SEND) + limiter.refusals(ApiFamily.SQS_OTHER));
    }

    @Test
    void eachNodeHoldsTheRateDividedByTheServingNodesAndReSplitsWhenOneGoesDown() {
        limiter.accounts(List.of(tenantWith(90)));
        limiter.clusterView(view(ClusterView.NodeState.UP, ClusterView.NodeState.UP, ClusterView.NodeState.UP));
        assertEquals(30.0, limiter.nodeRate(TENANT, ApiFamily.SQS_SEND), 1e-9);
        assertEquals(30, admitted(ApiFamily.SQS_SEND, 100));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        limiter.clusterView(view(ClusterView.NodeState.UP, ClusterView.NodeState.DOWN, ClusterView.NodeState.UP));
        assertEquals(45.0, limiter.nodeRate(TENANT, ApiFamily.SQS_SEND), 1e-9);
        // The bucket refilled at the old rate (30 in the second gone by); the new rate applies from the change on.
        assertEquals(30, admitted(ApiFamily.SQS_SEND, 100));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(45, admitted(ApiFamily.SQS_SEND, 100));
    }

    @Test
    void aChangedQuotaTakesEffectAtTheNextCallAndRemovingItLiftsTheLimit() {
        limiter.accounts(List.of(tenantWith(5)));
        assertEquals(5, admitted(ApiFamily.SQS_SEND, 10));
        limiter.accounts(List.of(tenantWith(100)));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        // Refilled at the old rate until the first call after the change; the new rate from then on.
        assertEquals(5, admitted(ApiFamily.SQS_SEND, 200));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(100, admitted(ApiFamily.SQS_SEND, 200));
        limiter.accounts(List.of(new Account(TENANT, "Tenant", Account.State.OPEN, 0, AccountQuotas.NONE)));
        assertEquals(500, admitted(ApiFamily.SQS_SEND, 500));
    }

    @Test
    void aDecisionAllocatesNothingOnceTheAccountsBucketsExist() {
        limiter.accounts(List.of(tenantWith(1_000)));
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int admitted = 0;
        for (int i = 0; i < 20_000; i++) {
            admitted += limiter.tryAcquire(TENANT, ApiFamily.SQS_SEND) ? 1 : 0;
            admitted += limiter.tryAcquire("000000000000", ApiFamily.SQS_SEND) ? 1 : 0;
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            admitted += limiter.tryAcquire(TENANT, ApiFamily.SQS_SEND) ? 1 : 0;
            admitted += limiter.tryAcquire("000000000000", ApiFamily.SQS_SEND) ? 1 : 0;
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // 200,000 decisions: a byte a call would show as 200 KB; the bound leaves room for the measurement itself.
        assertTrue(allocated < 16 * 1024, "200,000 decisions allocated " + allocated + " bytes");
        assertEquals(1_000 + 120_000, admitted);
    }

    @Test
    void aNodeCountsOnlyServingNodesAndNeverFewerThanItself() {
        assertEquals(2, RequestRateLimiter.serving(view(ClusterView.NodeState.UP, ClusterView.NodeState.UNKNOWN,
                ClusterView.NodeState.DOWN)));
        assertEquals(1, RequestRateLimiter.serving(new ClusterView(List.of(), List.of())));
    }

    private static ClusterView view(ClusterView.NodeState... states) {
        List<ClusterView.NodeView> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            nodes.add(new ClusterView.NodeView("n" + i, "127.0.0.1:" + (7000 + i), "http://127.0.0.1:" + (8000 + i),
                    states[i], "active"));
        }
        return new ClusterView(nodes, List.of());
    }
}
