package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueExport;
import dev.sluice.broker.core.QueueLayout;
import dev.sluice.broker.service.QueueMigrations.Migration;
import dev.sluice.broker.service.QueueMigrations.State;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.DeleteQueueRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a FIFO queue, or one partition of a high-throughput FIFO queue, to another data group by copying it whole
 * while it is closed (the queue's other partitions keep working), where a standard queue is drained
 * ({@link MigrationWorker}): a drain would let a message group's next messages be received in the new group while an
 * earlier one is still in flight in the old, and the new group would not know the deduplication ids of the last five
 * minutes. The steps, each idempotent and driven by the worker on the node leading the old group (a new leader goes
 * on from the record after a crash):
 * <ol>
 *   <li>FREEZING: the old group's queue is fenced CLOSED (every message action there is refused with the internal
 *       QueueMoved, which the routers hold and retry), and the new group gets an empty queue with the same settings
 *       and tags, closed too until the switch. No placement names it yet, so no client reaches it, and a source queue
 *       of that group whose dead-letter queue it is does not move dead letters into it while it fills.</li>
 *   <li>COPYING(position): a page of the closed, so unchanging, queue is exported (EXPORT_QUEUE: messages in sequence
 *       order with their delivery state, then the live deduplication records) and imported into the new group
 *       (IMPORT_QUEUE_STATE, idempotent), then the record moves on to the next page. A page replayed after a crash
 *       stores nothing twice. The last page seals the copy, so no later replay can store anything.</li>
 *   <li>SWITCHED: the new group's queue is opened, the placement names the new group alone (compare-and-set), then
 *       the old group's queue is deleted. A node still routing by a placement cached before is refused there (closed,
 *       then missing), re-reads the placement and retries in the new group.</li>
 * </ol>
 * Messages keep their sequence numbers, receive counts, visibility deadlines and receipt nonces, and the new queue
 * answers the old queue's id in receipt handles: handles consumers hold keep working. The queue is closed from the
 * first step to the switch: its size over the page rate (see DESIGN.md). Thread-safe; never blocks.
 */
final class QueueCopyMigration {
    /** Pages copied per worker tick at most, so one big queue does not hold the worker from the others for long. */
    static final int MAX_PAGES_PER_STEP = 64;
    static final QueueLayout CLOSED = new QueueLayout(QueueLayout.Fence.CLOSED, 0, 0);
    private static final Logger LOG = LoggerFactory.getLogger(QueueCopyMigration.class);

    private final QueueMigrations migrations;
    private final QueuePlacement placement;
    private final List<EngineQueueClient> groups;
    private final String accountId;
    private final Supplier<String> baseUrl;
    private final LongSupplier clockMillis;
    private final int maxPagesPerStep;

    QueueCopyMigration(QueueMigrations migrations, QueuePlacement placement, List<EngineQueueClient> groups, String accountId,
            Supplier<String> baseUrl, LongSupplier clockMillis) {
        this(migrations, placement, groups, accountId, baseUrl, clockMillis, MAX_PAGES_PER_STEP);
    }

    /** With {@code maxPagesPerStep} pages copied per step at most (a test stops a copy half-way with 1). */
    QueueCopyMigration(QueueMigrations migrations, QueuePlacement placement, List<EngineQueueClient> groups, String accountId,
            Supplier<String> baseUrl, LongSupplier clockMillis, int maxPagesPerStep) {
        this.maxPagesPerStep = maxPagesPerStep;
        this.migrations = migrations;
        this.placement = placement;
        this.groups = groups;
        this.accountId = accountId;
        this.baseUrl = baseUrl;
        this.clockMillis = clockMillis;
    }

    /** One step of a copy migration in {@code FREEZING}, {@code COPYING} or {@code SWITCHED}. */
    CompletableFuture<Void> step(Migration migration) {
        return switch (migration.state()) {
            case FREEZING -> freeze(migration);
            case COPYING -> copy(migration, maxPagesPerStep);
            case SWITCHED -> removeSource(migration);
            case RUNNING, DRAINED, COMPLETED -> CompletableFuture.completedFuture(null);
        };
    }

    private CompletableFuture<Void> freeze(Migration migration) {
        String name = migration.queueName();
        return groups.get(migration.fromGroup()).setLayout(name, CLOSED)
                .thenCompose(closed -> migrations.layouts().createCopy(name, migration.fromGroup(), migration.toGroup()))
                // The copy stays closed until the switch: a source queue in its group must not move dead letters into it
                // while it fills (they would sort among the copied messages by the wrong numbers), only through the outbox.
                .thenCompose(created -> groups.get(migration.toGroup()).setLayout(name, CLOSED))
                .thenCompose(created -> migrations.update(migration, migration.copiedTo(QueueExport.Position.START, 0)))
                .thenCompose(updated -> updated ? copy(migration.copiedTo(QueueExport.Position.START, 0), maxPagesPerStep)
                        : CompletableFuture.completedFuture(null));
    }

    private CompletableFuture<Void> copy(Migration migration, int pagesLeft) {
        String name = migration.queueName();
        return groups.get(migration.fromGroup()).exportQueue(name, migration.position())
                .thenCompose(page -> groups.get(migration.toGroup()).importQueueState(name, page).thenCompose(stored -> {
                    if (page.last()) {
                        return switchOver(migration, stored);
                    }
                    Migration next = migration.copiedTo(page.next(), stored);
                    return migrations.update(migration, next).thenCompose(updated -> updated && pagesLeft > 1
                            ? copy(next, pagesLeft - 1) : CompletableFuture.completedFuture(null));
                }));
    }

    /**
     * The copy is complete and sealed: the placement names the new group in the old group's place, if it still names
     * the old group (a whole queue: alone; a partition of a high-throughput FIFO queue: at the same index, so the same
     * message groups hash to it). If it names the new group in that place already, an earlier attempt switched and
     * crashed before recording it. Anything else means the queue's layout was changed under the migration: the copy is
     * given up (see {@link #abort}). {@code migration} is the record as stored (the compare-and-set expects it), {@code
     * stored} the messages the last page added: counted into the SWITCHED record (a record expected with them already
     * counted never matched, so the last page's messages went uncounted and a tick was lost replaying it).
     */
    private CompletableFuture<Void> switchOver(Migration migration, long stored) {
        String name = migration.queueName();
        placement.forget(name);
        return placement.placementOf(name).thenCompose(current -> {
            List<Integer> partitions = current.partitions();
            if (partitions.contains(migration.toGroup()) && !partitions.contains(migration.fromGroup())
                    && current.draining().isEmpty()) {
                // Opened again (idempotent): the crash may have come between the switch and the opening.
                return groups.get(migration.toGroup()).setLayout(name, openLayout(partitions, migration.toGroup()))
                        .thenApply(opened -> true);
            }
            if (!partitions.contains(migration.fromGroup()) || !current.draining().isEmpty()) {
                return abort(migration, current).thenApply(aborted -> false);
            }
            Placement switched = switched(current, migration);
            // Opened before the placement names it, with its partition's place, so that it refuses groups hashed elsewhere.
            return groups.get(migration.toGroup()).setLayout(name, openLayout(switched.partitions(), migration.toGroup()))
                    .thenCompose(opened -> placement.replace(name, current, switched));
        }).thenCompose(replaced -> {
            if (!replaced) {
                return CompletableFuture.completedFuture(null);
            }
            Migration done = migration.progressed(stored).in(State.SWITCHED, clockMillis.getAsLong());
            LOG.info("queue {} switched from data-{} to data-{} after {} ms closed, {} messages copied", name,
                    migration.fromGroup(), migration.toGroup(), done.finishedMillis() - migration.startedMillis(), done.moved());
            return migrations.update(migration, done).thenCompose(updated -> updated ? removeSource(done)
                    : CompletableFuture.completedFuture(null));
        });
    }

    /** {@code current} with the migration's new group in its old group's place; a queue in one group moves whole. */
    private static Placement switched(Placement current, Migration migration) {
        if (current.partitions().size() == 1) {
            return Placement.single(migration.toGroup());
        }
        List<Integer> partitions = new ArrayList<>(current.partitions());
        partitions.set(partitions.indexOf(migration.fromGroup()), migration.toGroup());
        return new Placement(current.home(), partitions, List.of());
    }

    /** An open queue in {@code group}: for a partition of several, told its index and count (see PartitionLayouts). */
    private static QueueLayout openLayout(List<Integer> partitions, int group) {
        return partitions.size() == 1 ? QueueLayout.OPEN
                : new QueueLayout(QueueLayout.Fence.OPEN, partitions.indexOf(group), partitions.size());
    }

    /** The old group's closed queue, a stale copy now, is deleted; a delete repeated after a crash finds it gone. */
    private CompletableFuture<Void> removeSource(Migration migration) {
        return ignoringMissing(groups.get(migration.fromGroup()).deleteQueue(new DeleteQueueRequest(urlOf(migration.queueName()))))
                .thenCompose(deleted -> migrations.update(migration, migration.in(State.COMPLETED, migration.finishedMillis())))
                .thenApply(done -> null);
    }

    /**
     * The old group's queue is gone (the worker checked): before the switch, the queue was deleted while it was being
     * copied, so the copy is deleted too, unless a placement names its group; after the switch, the last step
     * deleted it and crashed before recording so.
     */
    CompletableFuture<Void> abandon(Migration migration) {
        if (migration.state() == State.SWITCHED) {
            return migrations.update(migration, migration.in(State.COMPLETED, migration.finishedMillis())).thenApply(done -> null);
        }
        placement.forget(migration.queueName());
        return placement.placementOf(migration.queueName()).thenCompose(current -> current.groups().contains(migration.toGroup())
                ? CompletableFuture.completedFuture(null) : deleteCopy(migration))
                .thenCompose(deleted -> migrations.update(migration, migration.in(State.COMPLETED, clockMillis.getAsLong())))
                .thenApply(done -> null);
    }

    /** The placement changed under the copy: the copy is deleted, the old queue opened again as it was. */
    private CompletableFuture<Void> abort(Migration migration, Placement current) {
        LOG.warn("queue {}: placement changed to {} during its migration; the copy in data-{} is given up", migration.queueName(),
                current, migration.toGroup());
        QueueLayout reopened = current.partitions().contains(migration.fromGroup())
                ? openLayout(current.partitions(), migration.fromGroup()) : QueueLayout.OPEN;
        return deleteCopy(migration)
                .thenCompose(deleted -> groups.get(migration.fromGroup()).setLayout(migration.queueName(), reopened))
                .thenCompose(opened -> migrations.update(migration, migration.in(State.COMPLETED, clockMillis.getAsLong())))
                .thenApply(done -> null);
    }

    private CompletableFuture<Void> deleteCopy(Migration migration) {
        return ignoringMissing(groups.get(migration.toGroup()).deleteQueue(new DeleteQueueRequest(urlOf(migration.queueName()))));
    }

    private static <T> CompletableFuture<Void> ignoringMissing(CompletableFuture<T> action) {
        return action.handle((done, error) -> {
            if (error == null || isMissing(error)) {
                return null;
            }
            throw error instanceof CompletionException completion ? completion : new CompletionException(error);
        });
    }

    private static boolean isMissing(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof SqsException sqs && sqs.error() == SqsError.QUEUE_DOES_NOT_EXIST;
    }

    private String urlOf(String name) {
        return QueueUrl.ofQualified(name, accountId).toUrl(baseUrl.get());
    }
}
