package dev.sluice.broker.service;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.raftstore.client.GroupClient;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Closes a data group's hours of stored message byte-hours while this node leads it: a queue's bytes are billed only
 * when an entry changes them, so a group whose queues hold messages but see no traffic would leave its past hours open.
 * Once the leader's clock enters a new hour and a queue that stores messages was last billed before it (one pass over
 * the group's queues, once an hour), it proposes one tick: a
 * {@code RecordUsage} with no rows (proposed only at feature level 2, when every node knows the command; for a node
 * that does not bill byte-hours an empty record adds nothing), whose apply bills every queue up to the tick's leader time. So at most one entry per
 * group and hour, none in an hour in which every such queue saw traffic anyway, and none in a group that stores
 * nothing; a tick proposed twice (a lost answer, a new leader) bills the second time nothing. Runs on the shared
 * timer thread; never throws.
 */
public final class StorageAccrualWorker implements AutoCloseable {
    static final long CHECK_MILLIS = 1_000;

    private final GroupClient group;
    private final Supplier<QueueEngine> localReplica;
    private final BooleanSupplier isLeader;
    private final InstantSource clock;
    /** Whether every node of the cluster knows RecordUsage (feature level 2): no tick before. */
    private final Supplier<java.util.concurrent.CompletableFuture<Boolean>> mayRecordUsage;
    private final AtomicBoolean ticking = new AtomicBoolean();
    /** The hour this node's last acknowledged tick (or a check that found nothing stored) closed the hours before. */
    private volatile long closedBefore = Long.MIN_VALUE;
    private final ScheduledFuture<?> checks;

    public StorageAccrualWorker(GroupClient group, Supplier<QueueEngine> localReplica, BooleanSupplier isLeader,
            InstantSource clock, Supplier<java.util.concurrent.CompletableFuture<Boolean>> mayRecordUsage,
            ScheduledExecutorService timers) {
        this.mayRecordUsage = mayRecordUsage;
        this.group = group;
        this.localReplica = localReplica;
        this.isLeader = isLeader;
        this.clock = clock;
        this.checks = timers.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            QueueEngine replica = localReplica.get();
            long hour = UsageMeter.hourOf(clock.millis());
            if (hour <= closedBefore || !isLeader.getAsBoolean() || replica == null) {
                return;
            }
            if (!replica.read(book -> book.billedBefore(hour))) {
                // Every queue that stores anything was billed in this hour already: the hours before are closed.
                closedBefore = hour;
                return;
            }
            if (!ticking.compareAndSet(false, true)) {
                return;
            }
            mayRecordUsage.get().thenCompose(allowed -> allowed
                            ? group.submit(QueueCommandCodec.encode(new QueueCommand.RecordUsage("", 0, List.of())))
                                    .thenApply(result -> true)
                            : java.util.concurrent.CompletableFuture.completedFuture(false))
                    .whenComplete((ticked, failed) -> {
                        if (failed == null && ticked) {
                            closedBefore = Math.max(closedBefore, hour);
                        }
                        ticking.set(false);
                    });
        } catch (RuntimeException unexpected) {
            // The next check tries again; a throwing task would be dropped by the timer for good.
            ticking.set(false);
        }
    }

    @Override
    public void close() {
        checks.cancel(false);
    }
}
