package dev.sluice.broker.service;

import dev.sluice.broker.core.Transfer;
import dev.sluice.broker.core.TransferImport;
import dev.sluice.broker.statemachine.QueueEngine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one group's outbox while this node leads the group: in rounds, it reads the oldest
 * pending transfers, imports them into their destination groups (one import command per group,
 * in outbox order), then settles them in its own group: delivered ones leave the outbox, those
 * whose destination queue no longer exists go back to the queue they left (after a second lookup: one that migrated
 * to another group since this round's lookup is followed there next round). One round at a time,
 * so a message group's next transfer is only sent after the one before was imported and settled:
 * FIFO order holds in the destination. A resend (failed settle, a new leader) carries the same
 * transfer ids, and the destination stores no second copy.
 *
 * <p>A destination group that fails is backed off (doubling from {@link #TICK_MILLIS} to
 * {@link #MAX_BACKOFF_MILLIS}); the others go on. A round is bounded ({@link #ROUND_BOUND}): one whose lookup, import
 * or settle never completes is given up and the next round resends the same transfers (stored once, see above).
 * Unbounded, such a round kept the flag of the round in flight set for good, and this node, while it led the group,
 * never delivered the outbox again, silently (a debug line at most): its dead letters waited there while every queue read
 * empty (the likeliest reading of the FIFO dead letters CrossGroupFaultsClusterIT (a) reported lost). Likewise a tick
 * never throws: the timer would drop the task for good. Rounds that keep failing or timing out are warned about. Runs
 * on the shared timer thread; the rest on the groups' reply threads.
 */
public final class TransferWorker implements AutoCloseable {
    static final long TICK_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 10_000;
    /** Transfers imported into one destination group per round: bounds one import command's size. */
    static final int MAX_BATCH = 64;
    /** Outbox entries looked at per round: bounds the read-locked scan. */
    static final int MAX_SCANNED = 4_096;
    /** The longest one round may take: longer than a Raft request's own timeout and its retries. */
    static final java.time.Duration ROUND_BOUND = java.time.Duration.ofSeconds(30);
    /** Consecutive failed or timed-out rounds before a warning, and between two warnings. */
    static final int WARN_EVERY = 20;
    private static final Logger LOG = LoggerFactory.getLogger(TransferWorker.class);

    private final int group;
    private final String sourceGroup;
    /** This node's replica of the group (current while it leads, so never null then). */
    private final java.util.function.Supplier<QueueEngine> localReplica;
    private final BooleanSupplier isLeader;
    private final QueueGroups groups;
    private final IntFunction<EngineQueueClient> clients;
    private final LongSupplier clockMillis;
    private final java.time.Duration roundBound;
    private final AtomicBoolean roundInFlight = new AtomicBoolean();
    /** Rounds in a row that failed or passed {@link #roundBound}; touched by one round at a time. */
    private final java.util.concurrent.atomic.AtomicInteger failedRounds = new java.util.concurrent.atomic.AtomicInteger();
    /** Per destination group: when it may be tried again, and its current back-off. */
    private final Map<Integer, long[]> backoff = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> ticks;
    /** The account of bare queue names (see {@link dev.sluice.clientsdk.QueueUrl#qualifiedName}). */
    private final String accountId;

    public TransferWorker(int group, java.util.function.Supplier<QueueEngine> localReplica, BooleanSupplier isLeader, QueueGroups groups,
            IntFunction<EngineQueueClient> clients, String accountId, LongSupplier clockMillis, ScheduledExecutorService timers) {
        this(group, localReplica, isLeader, groups, clients, accountId, clockMillis, timers, ROUND_BOUND);
    }

    /** With rounds bounded by {@code roundBound} (a test gives up a hung round sooner). */
    TransferWorker(int group, java.util.function.Supplier<QueueEngine> localReplica, BooleanSupplier isLeader, QueueGroups groups,
            IntFunction<EngineQueueClient> clients, String accountId, LongSupplier clockMillis, ScheduledExecutorService timers,
            java.time.Duration roundBound) {
        this.roundBound = roundBound;
        this.group = group;
        this.accountId = accountId;
        this.sourceGroup = "data-" + group;
        this.localReplica = localReplica;
        this.isLeader = isLeader;
        this.groups = groups;
        this.clients = clients;
        this.clockMillis = clockMillis;
        this.ticks = timers.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            deliverPending();
        } catch (RuntimeException e) {
            // Never thrown out of the timer's task: an exception there would cancel every later tick of this worker.
            LOG.warn("{}: transfer tick failed; the next tick retries", sourceGroup, e);
        }
    }

    private void deliverPending() {
        QueueEngine replica = localReplica.get();
        if (!isLeader.getAsBoolean() || replica == null || !roundInFlight.compareAndSet(false, true)) {
            return;
        }
        try {
            List<Transfer> pending = replica.read(book -> book.transfers().next(MAX_SCANNED, MAX_SCANNED, t -> true));
            if (pending.isEmpty()) {
                roundInFlight.set(false);
                return;
            }
            // A copy, so that the timeout does not complete the round's own future under the code still working on it.
            round(pending).thenApply(done -> done).orTimeout(roundBound.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((ignored, error) -> {
                        roundEnded(pending.size(), error);
                        roundInFlight.set(false);
                    });
        } catch (RuntimeException e) {
            roundInFlight.set(false);
            throw e;
        }
    }

    private void roundEnded(int pending, Throwable error) {
        if (error == null) {
            failedRounds.set(0);
            return;
        }
        int failed = failedRounds.incrementAndGet();
        if (failed % WARN_EVERY == 0) {
            LOG.warn("{}: {} transfer rounds in a row failed or took over {} ms; {} transfers wait in the outbox", sourceGroup,
                    failed, roundBound.toMillis(), pending, error);
        } else {
            LOG.debug("{}: transfer round failed", sourceGroup, error);
        }
    }

    /** Resolves each destination's group, imports per group, then settles what was answered. */
    private CompletableFuture<Void> round(List<Transfer> pending) {
        Map<String, CompletableFuture<Integer>> owners = new HashMap<>();
        for (Transfer transfer : pending) {
            owners.computeIfAbsent(nameOf(transfer.destinationArn()), this::ownerOf);
        }
        return CompletableFuture.allOf(owners.values().toArray(CompletableFuture[]::new)).thenCompose(resolved -> {
            long now = clockMillis.getAsLong();
            Map<Integer, List<Transfer>> byGroup = new LinkedHashMap<>();
            List<Long> returned = new ArrayList<>();
            for (Transfer transfer : pending) {
                Integer owner = owners.get(nameOf(transfer.destinationArn())).join();
                if (owner == null) {
                    returned.add(transfer.seq()); // placement knows no such queue: back to where it came from
                } else if (owner >= 0 && backoff.getOrDefault(owner, new long[] {0, 0})[0] <= now) {
                    List<Transfer> batch = byGroup.computeIfAbsent(owner, g -> new ArrayList<>());
                    if (batch.size() < MAX_BATCH) {
                        batch.add(transfer);
                    }
                }
            }
            List<CompletableFuture<Void>> imports = new ArrayList<>();
            byGroup.forEach((owner, batch) -> imports.add(deliver(owner, batch)));
            if (!returned.isEmpty()) {
                imports.add(clients.apply(group).settleTransfers(List.of(), returned).thenAccept(back -> LOG.warn(
                        "{}: {} transfers had no destination queue and went back to their queues", sourceGroup, back)));
            }
            return CompletableFuture.allOf(imports.toArray(CompletableFuture[]::new));
        });
    }

    /** The destination's group; null when placement knows no such queue; -1 when placement did not answer. */
    private CompletableFuture<Integer> ownerOf(String name) {
        return groups.groupOf(name).handle((owner, error) -> {
            if (error == null) {
                return owner;
            }
            return QueueGroups.isNoSuchQueue(error) ? null : -1;
        });
    }

    private CompletableFuture<Void> deliver(int owner, List<Transfer> batch) {
        List<TransferImport> imports = batch.stream().map(transfer -> new TransferImport(transfer.transferId(sourceGroup),
                transfer.destinationArn(), transfer.delivered())).toList();
        return clients.apply(owner).importTransfers(imports).thenCompose(outcomes -> {
            List<Long> delivered = new ArrayList<>();
            List<Transfer> missing = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (outcomes.get(i) == TransferImport.Outcome.NO_SUCH_QUEUE) {
                    missing.add(batch.get(i));
                } else {
                    delivered.add(batch.get(i).seq());
                }
            }
            return movedElsewhere(owner, missing).thenCompose(moved -> {
                List<Long> returned = missing.stream().filter(transfer -> !moved.contains(nameOf(transfer.destinationArn())))
                        .map(Transfer::seq).toList();
                return clients.apply(group).settleTransfers(delivered, returned);
            });
        }).handle((back, error) -> {
            if (error != null) {
                long[] previous = backoff.getOrDefault(owner, new long[] {0, 0});
                long delay = Math.min(MAX_BACKOFF_MILLIS, Math.max(TICK_MILLIS, previous[1] * 2));
                backoff.put(owner, new long[] {clockMillis.getAsLong() + delay, delay});
                LOG.debug("{}: delivering {} transfers to data-{} failed; next try in {} ms", sourceGroup, batch.size(),
                        owner, delay, error);
            } else {
                backoff.remove(owner);
            }
            return null;
        });
    }

    /**
     * Of the destinations {@code owner} answered missing, those now placed in another group: the queue migrated between
     * this round's lookup and its import (the old group's copy was deleted in between). Their transfers stay in the
     * outbox for the next round, which finds them there; only a queue missing where its placement, read again, still
     * puts it sends its transfers back to their source. A lookup that fails keeps them too (tried again next round).
     */
    private CompletableFuture<java.util.Set<String>> movedElsewhere(int owner, List<Transfer> missing) {
        java.util.Set<String> moved = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> lookups = new ArrayList<>();
        for (String name : missing.stream().map(transfer -> nameOf(transfer.destinationArn())).distinct().toList()) {
            lookups.add(groups.groupOf(name).handle((now, error) -> {
                if (error == null ? now != owner : !QueueGroups.isNoSuchQueue(error)) {
                    moved.add(name);
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).thenApply(all -> moved);
    }

    private String nameOf(String arn) {
        return dev.sluice.broker.core.QueueBook.nameOfArn(arn, accountId);
    }

    @Override
    public void close() {
        ticks.cancel(false);
    }
}
