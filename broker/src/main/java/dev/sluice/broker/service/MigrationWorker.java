package dev.sluice.broker.service;

import dev.sluice.broker.core.StoredMessage;
import dev.sluice.broker.core.TransferImport;
import dev.sluice.broker.service.QueueMigrations.Migration;
import dev.sluice.broker.service.QueueMigrations.State;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives migrations forward on the node that leads each one's old group (while leadership moves, two nodes may
 * briefly both step one: harmless, every step is idempotent). A step receives up to {@value #BATCH} messages of
 * the old group's queue (taking them out of sight for {@value #MOVE_VISIBILITY_SECONDS} s), imports them into the new
 * group with the engine's transfer import (same message id, sent time and attributes; a transfer id per message that
 * the new group remembers for 15 minutes), and deletes them from the old one only after the import was
 * acknowledged. A crash in between leaves the message in flight in the old group; it becomes visible again, is
 * imported again under the same transfer id, which stores nothing, and is deleted: no loss, no second copy (a
 * consumer that already deleted the first copy never sees it again), never visible in both at once. In-flight messages are not moved: their consumers
 * delete them in the old group with the handles they hold, or they come back into sight and are moved then.
 *
 * <p>Once a receive finds nothing visible, the old group's queue is fenced against sends again (SENDS_CLOSED,
 * idempotent: it covers a crash before the start fenced it) and deleted if it holds no message at all, in one apply
 * ({@code DeleteQueueIfEmpty}); then the placement names the new group alone and the migration is COMPLETED. No wait
 * for nodes' cached placements: a node that still routes a send by a placement from before the switch is refused by
 * the fence (QueueMoved), and one that reaches the deleted queue is answered QueueDoesNotExist; either way its router
 * reads the placement again and retries in the new group. A queue not yet empty (messages in flight or delayed) stays
 * and is drained on. Runs on one timer thread; never blocks it.
 */
public final class MigrationWorker implements AutoCloseable {
    static final long TICK_MILLIS = 500;
    static final int BATCH = 10;
    static final int MOVE_VISIBILITY_SECONDS = 60;
    /** The longest one migration's step (a few Raft round trips) may take in a tick, and reading the list of them. */
    static final java.time.Duration STEP_BOUND = java.time.Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(MigrationWorker.class);

    private final QueueMigrations migrations;
    private final QueuePlacement placement;
    private final List<EngineQueueClient> groups;
    private final IntPredicate leads;
    private final String accountId;
    private final String region;
    private final Supplier<String> baseUrl;
    private final LongSupplier clockMillis;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final MigrationSteps<Migration> steps = new MigrationSteps<>(STEP_BOUND,
            migration -> migration.queueName() + " (" + migration.state() + ", data-" + migration.fromGroup() + " to data-"
                    + migration.toGroup() + ")");
    /** FIFO queues move by copy, not by drain. */
    private final QueueCopyMigration copies;
    private final ScheduledFuture<?> ticks;

    public MigrationWorker(QueueMigrations migrations, QueuePlacement placement, List<EngineQueueClient> groups,
            IntPredicate leads, String accountId, String region, Supplier<String> baseUrl, LongSupplier clockMillis,
            ScheduledExecutorService timers) {
        this.migrations = migrations;
        this.placement = placement;
        this.groups = groups;
        this.leads = leads;
        this.accountId = accountId;
        this.region = region;
        this.baseUrl = baseUrl;
        this.clockMillis = clockMillis;
        this.copies = new QueueCopyMigration(migrations, placement, groups, accountId, baseUrl, clockMillis);
        this.ticks = timers.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        // Each step is bounded by the steps' runner; the read of the list is bounded here, so that busy always clears.
        migrations.unfinished().thenApply(unfinished -> unfinished).orTimeout(STEP_BOUND.toMillis(), TimeUnit.MILLISECONDS)
                .thenCompose(unfinished -> steps.run(
                        unfinished.stream().filter(migration -> leads.test(migration.fromGroup())).toList(), this::step))
                .whenComplete((done, error) -> {
                    if (error != null) {
                        LOG.debug("reading the unfinished migrations failed; the next tick retries", error);
                    }
                    busy.set(false);
                });
    }

    private CompletableFuture<Void> step(Migration migration) {
        CompletableFuture<Void> stepped = switch (migration.state()) {
            case RUNNING -> move(migration);
            case DRAINED -> removeOldQueue(migration);
            case COMPLETED -> CompletableFuture.completedFuture(null);
            case FREEZING, COPYING, SWITCHED -> copies.step(migration);
        };
        boolean copy = migration.position() != null;
        return stepped.exceptionallyCompose(error -> groups.get(migration.fromGroup()).exists(migration.queueName())
                .thenCompose(exists -> exists ? CompletableFuture.failedFuture(error)
                        : copy ? copies.abandon(migration) : abandon(migration)));
    }

    /**
     * The old group's queue is gone: the queue was deleted while it moved, or this worker deleted it drained and
     * stopped before the placement named the target alone (a crash, a lost compare-and-set). Nothing is left to
     * drain: the target alone holds the name, so a queue created again is whole there and can be migrated again.
     */
    private CompletableFuture<Void> abandon(Migration migration) {
        placement.forget(migration.queueName());
        return placement.placementOf(migration.queueName()).thenCompose(current -> drains(current, migration)
                        ? placement.replace(migration.queueName(), current, migrated(current))
                        : CompletableFuture.completedFuture(true))
                .thenCompose(settled -> settled
                        ? migrations.update(migration, migration.in(State.COMPLETED, clockMillis.getAsLong()))
                        : CompletableFuture.completedFuture(false))
                .thenApply(done -> null);
    }

    private CompletableFuture<Void> move(Migration migration) {
        String url = urlOf(migration.queueName());
        EngineQueueClient from = groups.get(migration.fromGroup());
        EngineQueueClient to = groups.get(migration.toGroup());
        return from.receiveMessage(new ReceiveMessageRequest(url, List.of("All"), List.of("All"), List.of("All"), BATCH,
                MOVE_VISIBILITY_SECONDS, 0, null)).thenCompose(received -> {
                    List<Message> messages = received.messages();
                    if (messages.isEmpty()) {
                        return finishDraining(migration);
                    }
                    String arn = QueueUrl.ofQualified(migration.queueName(), accountId).toArn(region);
                    List<TransferImport> imports = messages.stream().map(message -> new TransferImport(
                            transferId(migration, message), arn, stored(message))).toList();
                    return to.importTransfers(imports).thenCompose(outcomes -> {
                        List<DeleteMessageBatchRequestEntry> moved = new ArrayList<>();
                        for (int i = 0; i < messages.size(); i++) {
                            if (outcomes.get(i) != TransferImport.Outcome.NO_SUCH_QUEUE) {
                                moved.add(new DeleteMessageBatchRequestEntry(Integer.toString(i), messages.get(i).receiptHandle()));
                            }
                        }
                        if (moved.isEmpty()) {
                            return CompletableFuture.completedFuture(null);
                        }
                        return from.deleteMessageBatch(new DeleteMessageBatchRequest(url, moved))
                                .thenCompose(deleted -> migrations.update(migration, migration.progressed(deleted.successful().size())))
                                .thenApply(updated -> null);
                    });
                });
    }

    /**
     * The same message moved again (its old group's leader died between the import and the delete, so it came back
     * into sight there) carries the same id, and the new group stores it once while it remembers the id.
     */
    private static String transferId(Migration migration, Message message) {
        return "migrate:data-" + migration.fromGroup() + ":" + message.messageId();
    }

    /** The message as its old group stored it: same id, sent time, attributes, group and deduplication id. */
    private StoredMessage stored(Message message) {
        Map<String, String> system = message.attributes();
        String sent = system.get("SentTimestamp");
        return new StoredMessage(message.messageId(), sent == null ? clockMillis.getAsLong() : Long.parseLong(sent),
                clockMillis.getAsLong(), message.body(), message.messageAttributes(), system.get("AWSTraceHeader"),
                system.get("MessageGroupId"), system.get("MessageDeduplicationId"), system.get("DeadLetterQueueSourceArn"));
    }

    /**
     * Nothing visible is left: fence the old queue, delete it if it holds no message at all (in one apply, so no send
     * slips in between), then let the placement name the new group alone. Only while the placement still drains
     * {@code fromGroup} into {@code toGroup}: the record is read fresh, never from this node's cache.
     */
    private CompletableFuture<Void> finishDraining(Migration migration) {
        String name = migration.queueName();
        placement.forget(name);
        return placement.placementOf(name).thenCompose(current -> {
            if (!drains(current, migration)) {
                return CompletableFuture.completedFuture(null);
            }
            return deleteIfEmpty(migration).thenCompose(deleted -> !deleted ? CompletableFuture.completedFuture(null)
                    : placement.replace(name, current, migrated(current)).thenCompose(replaced -> replaced
                            ? migrations.update(migration, migration.in(State.COMPLETED, clockMillis.getAsLong()))
                                    .thenApply(done -> null)
                            : CompletableFuture.completedFuture(null)));
        });
    }

    /**
     * The placement once the old group is let go: the new group alone, and the home kept, so that a receipt handle
     * without a group prefix (issued by the old group before the migration) still routes as the old group's and is
     * answered as expired, not sent to the new group's queue, which would call it invalid. Handles of the new group
     * carry its prefix from the start of the migration on. A migration back to the home group ends single again.
     */
    private static Placement migrated(Placement draining) {
        return new Placement(draining.home(), draining.partitions(), List.of());
    }

    /**
     * Whether {@code current} is the placement {@code migration} made: its new group a partition (the only one, or one
     * of several when a partition moved or the partition count was lowered) and its old group the one draining.
     */
    private static boolean drains(Placement current, Migration migration) {
        return current.partitions().contains(migration.toGroup()) && current.draining().equals(List.of(migration.fromGroup()));
    }

    /**
     * Fences the old group's queue against sends and deletes it if it holds no message; false when it still holds some
     * (in flight, delayed, or a send that reached it before the fence): it is drained on.
     */
    private CompletableFuture<Boolean> deleteIfEmpty(Migration migration) {
        EngineQueueClient from = groups.get(migration.fromGroup());
        return from.setLayout(migration.queueName(), QueueLayoutChanges.SENDS_CLOSED)
                .thenCompose(fenced -> from.deleteQueueIfEmpty(migration.queueName()))
                .handle((deleted, error) -> {
                    if (error == null) {
                        return true;
                    }
                    // OverLimit: DeleteQueueIfEmpty found messages; anything else is a failure the next tick retries.
                    if (StalePlacementRetry.unwrap(error) instanceof SqsException sqs && sqs.error() == SqsError.OVER_LIMIT) {
                        return false;
                    }
                    throw error instanceof CompletionException completion ? completion : new CompletionException(error);
                });
    }

    /**
     * A migration an earlier release left DRAINED: the placement already names the new group alone and the old
     * group's queue waits to be removed. Fenced and removed at once if empty (see the class comment for why no wait
     * is needed); should a late send have reached it, the migration goes back to draining it.
     */
    private CompletableFuture<Void> removeOldQueue(Migration migration) {
        return deleteIfEmpty(migration).thenCompose(deleted -> {
            if (!deleted) {
                Placement drained = Placement.single(migration.toGroup());
                Placement draining = new Placement(migration.toGroup(), List.of(migration.toGroup()), List.of(migration.fromGroup()));
                return placement.replace(migration.queueName(), drained, draining).thenCompose(replaced -> replaced
                        ? migrations.update(migration, migration.in(State.RUNNING, 0)).thenApply(done -> null)
                        : CompletableFuture.completedFuture(null));
            }
            return migrations.update(migration, migration.in(State.COMPLETED, clockMillis.getAsLong())).thenApply(done -> null);
        });
    }

    private String urlOf(String name) {
        return QueueUrl.ofQualified(name, accountId).toUrl(baseUrl.get());
    }

    @Override
    public void close() {
        ticks.cancel(false);
    }
}
