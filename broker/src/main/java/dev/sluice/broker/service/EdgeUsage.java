package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.core.UsageRow;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.ReservedQueueNames;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Usage this node's edge counts because no log entry carries it: an empty ReceiveMessage (a long poll may propose
 * several empty receives or none, so apply cannot tell one call from another). Counted here per (account, hour of
 * this node's clock, kind) and flushed every {@link #FLUSH_MILLIS} to data group 0 as one {@code RecordUsage}
 * command, keyed by this run of the node ({@code nodeId/random}) and a sequence number: a flush proposed again after
 * a lost answer is added once. One flush in flight at a time; a failed one is proposed again, unchanged, at the next
 * tick, while new counts wait for the flush after it. Loss bound: a crash loses the counts not yet flushed (at most
 * about {@link #FLUSH_MILLIS} of this node's empty receives, or more while group 0 cannot commit).
 *
 * <p>{@code RecordUsage} is a command of feature level 2 ({@code dev.sluice.raftstore.FeatureLevel}): while a node of
 * the cluster runs an older release, which would stop at it, nothing is proposed and the counts stay here, merged per
 * (account, hour, kind): the buffer grows by at most one row per account and usage kind an hour, and
 * flushes in full once every node runs level 2. Thread-safe.
 */
public final class EdgeUsage {
    public static final long FLUSH_MILLIS = 2_000;

    private record Key(String account, long hourMillis, UsageKind kind) {
    }

    private final String source;
    private final InstantSource clock;
    private final Function<QueueCommand.RecordUsage, CompletableFuture<Boolean>> record;
    private final Supplier<CompletableFuture<Boolean>> recordable;
    private final ConcurrentHashMap<Key, Long> counts = new ConcurrentHashMap<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    /** The flush proposed and not yet acknowledged, or null; guarded by this. */
    private QueueCommand.RecordUsage pending;
    private long nextSequence = 1;

    /**
     * @param nodeId this node's id (with a random part per run, it keys the flushes)
     * @param record proposes a flush to the group that keeps edge usage
     * @param recordable whether every node of the cluster knows {@code RecordUsage} (asked before each flush)
     */
    public EdgeUsage(String nodeId, InstantSource clock,
            Function<QueueCommand.RecordUsage, CompletableFuture<Boolean>> record,
            Supplier<CompletableFuture<Boolean>> recordable) {
        this.source = nodeId + "/" + UUID.randomUUID();
        this.clock = clock;
        this.record = record;
        this.recordable = recordable;
    }

    /** Rows (account, hour, kind) counted and not yet proposed: what a held-back flush keeps here. */
    public int bufferedRows() {
        return counts.size();
    }

    /** A ReceiveMessage on {@code queueUrl} answered with no message: one request of the queue's owner. */
    public void emptyReceive(String queueUrl) {
        QueueUrl.parse(queueUrl).filter(url -> !ReservedQueueNames.isReserved(url.queueName())).ifPresent(url ->
                counts.merge(new Key(url.accountId(), UsageMeter.hourOf(clock.millis()), UsageKind.SQS_REQUESTS), 1L,
                        Long::sum));
    }

    /**
     * Usage the edge saw happen once (a notification delivered, a function invoked): {@code amount} of {@code kind}
     * for {@code account}, in the current hour of this node's clock. Amounts of zero or less are ignored.
     */
    public void record(String account, UsageKind kind, long amount) {
        if (account != null && amount > 0) {
            counts.merge(new Key(account, UsageMeter.hourOf(clock.millis()), kind), amount, Long::sum);
        }
    }

    /**
     * Proposes the counts so far (or the last unacknowledged flush again) once the cluster knows the command; completes
     * when that answer came, or at once when it was held back.
     */
    public CompletableFuture<Void> flush() {
        if (!flushing.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Boolean> allowed;
        try {
            allowed = recordable.get();
        } catch (RuntimeException unknown) {
            allowed = CompletableFuture.failedFuture(unknown);
        }
        return allowed.exceptionally(unknown -> false).thenCompose(known -> {
            if (!known) {
                flushing.set(false);
                return CompletableFuture.completedFuture(null);
            }
            return propose();
        });
    }

    private CompletableFuture<Void> propose() {
        QueueCommand.RecordUsage proposal;
        synchronized (this) {
            if (pending == null) {
                List<UsageRow> rows = drain();
                if (!rows.isEmpty()) {
                    pending = new QueueCommand.RecordUsage(source, nextSequence++, rows);
                }
            }
            proposal = pending;
        }
        if (proposal == null) {
            flushing.set(false);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Boolean> proposed;
        try {
            proposed = record.apply(proposal);
        } catch (RuntimeException refused) {
            proposed = CompletableFuture.failedFuture(refused);
        }
        return proposed.handle((added, failed) -> {
            if (failed == null) {
                synchronized (this) {
                    pending = null;
                }
            }
            flushing.set(false);
            return null;
        });
    }

    /** Removes every count (each key atomically, so a concurrent add lands in this flush or the next). */
    private List<UsageRow> drain() {
        List<UsageRow> rows = new ArrayList<>();
        for (Key key : counts.keySet()) {
            Long amount = counts.remove(key);
            if (amount != null && amount > 0) {
                rows.add(new UsageRow(key.account(), key.hourMillis(), key.kind(), amount));
            }
        }
        rows.sort(java.util.Comparator.comparing(UsageRow::account).thenComparingLong(UsageRow::hourMillis)
                .thenComparing(UsageRow::kind));
        return rows;
    }
}
