package dev.sluice.broker.service;

import dev.sluice.broker.codec.QueueExportCodec;
import dev.sluice.broker.core.QueueExport;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Moving a live queue to another data group (an operator's action, and the step a rebalancer takes). Starting one
 * creates the queue in the target group, then switches its placement: the target becomes its only partition and
 * the old group drains (receives, deletes and visibility changes still reach it, sends no longer do: its queue is
 * fenced SENDS_CLOSED, so a node routing by a stale cached placement is refused there and retries). A
 * {@link MigrationWorker} then moves the old group's messages over and, once it is empty, removes it. Each
 * migration is a record in the catalog (namespace {@value #NAMESPACE}), so its progress survives any node.
 * Thread-safe, never blocks.
 */
public final class QueueMigrations {
    static final String NAMESPACE = "queue-migrations";
    private static final byte FORMAT = 1;
    /** A record of a copy migration: format 1 followed by its copy position. */
    private static final byte FORMAT_WITH_POSITION = 2;
    private static final int SCAN_PAGE = 1_000;

    /**
     * RUNNING: the old group drains into the new, until its queue is deleted empty and the placement names the new
     * group alone; COMPLETED. DRAINED is no longer written: earlier releases used it for "the placement names the new
     * group alone, the old queue waits out every node's cached placement before it is removed", and a worker still
     * finishes such a record (see {@code MigrationWorker}). Append only: the ordinal is stored.
     *
     * <p>A FIFO queue moves by copy instead ({@link QueueCopyMigration}): FREEZING, its old group's queue is closed and
     * the new group gets an empty one; COPYING, the closed queue is copied page by page from {@code position}; SWITCHED,
     * the placement names the new group alone and the old group's queue is deleted; then COMPLETED.
     */
    public enum State { RUNNING, DRAINED, COMPLETED, FREEZING, COPYING, SWITCHED }

    /**
     * One migration: {@code moved} messages so far; times in epoch milliseconds ({@code finishedMillis} 0 while running;
     * for a copy, the switch's time once SWITCHED); {@code position} where a copy goes on (null for a drain).
     */
    public record Migration(String queueName, int fromGroup, int toGroup, State state, long moved, long startedMillis,
            long finishedMillis, QueueExport.Position position) {
        /** A drain migration's record, which has no copy position. */
        public Migration(String queueName, int fromGroup, int toGroup, State state, long moved, long startedMillis,
                long finishedMillis) {
            this(queueName, fromGroup, toGroup, state, moved, startedMillis, finishedMillis, null);
        }

        Migration progressed(long more) {
            return new Migration(queueName, fromGroup, toGroup, state, moved + more, startedMillis, finishedMillis, position);
        }

        Migration in(State next, long nowMillis) {
            return new Migration(queueName, fromGroup, toGroup, next, moved, startedMillis, nowMillis, position);
        }

        /** A copy gone on to {@code next} with {@code more} messages stored. */
        Migration copiedTo(QueueExport.Position next, long more) {
            return new Migration(queueName, fromGroup, toGroup, State.COPYING, moved + more, startedMillis, finishedMillis, next);
        }
    }

    private final Catalog catalog;
    private final QueueLayoutChanges layouts;
    private final String accountId;
    private final LongSupplier clockMillis;

    public QueueMigrations(Catalog catalog, QueueLayoutChanges layouts, String accountId, LongSupplier clockMillis) {
        this.catalog = catalog;
        this.layouts = layouts;
        this.accountId = accountId;
        this.clockMillis = clockMillis;
    }

    /** Starts moving {@code name} to data group {@code toGroup}; answers the migration as recorded. */
    public CompletableFuture<Migration> start(String name, int toGroup) {
        return start(name, null, toGroup);
    }

    /**
     * Starts moving {@code name}'s partition in group {@code fromGroup} (null: its only one) to data group {@code toGroup};
     * answers the migration as recorded.
     */
    public CompletableFuture<Migration> start(String name, Integer fromGroup, int toGroup) {
        if (PartitionedQueue.isFifo(name)) {
            return startCopy(name, fromGroup, toGroup);
        }
        return layouts.startMigration(name, fromGroup, toGroup).thenCompose(placed -> recordDrain(name, placed, toGroup));
    }

    /**
     * Changes a queue's partition count: more are added at once ({@link QueueLayoutChanges#partition}); one fewer is a
     * drain migration of the last partition into the least loaded of the others, recorded and driven like any other
     * (so GET .../migrate reports it). Answers the new placement (a removed partition is listed until it drained).
     */
    public CompletableFuture<Placement> partition(String name, int count) {
        return layouts.freshPlacement(name).thenCompose(current -> {
            if (count >= current.partitions().size() || count < 1) {
                return layouts.partition(name, count);
            }
            return layouts.removeLastPartition(name, count).thenCompose(lowered ->
                    recordDrain(name, lowered, layouts.drainTarget(lowered)).thenApply(recorded -> lowered));
        });
    }

    private CompletableFuture<Migration> recordDrain(String name, Placement placed, int toGroup) {
        Migration started = new Migration(name, placed.draining().get(0), toGroup, State.RUNNING, 0, clockMillis.getAsLong(), 0);
        return catalog.put(NAMESPACE, key(name), encode(started)).thenApply(replaced -> started);
    }

    /**
     * A FIFO queue moves by copy (see {@link QueueCopyMigration}): its placement stays as it is until the copy is
     * complete, so the record is what says it is moving, and a second start while one is unfinished is refused.
     */
    private CompletableFuture<Migration> startCopy(String name, Integer from, int toGroup) {
        return layouts.checkCopyable(name, from, toGroup).thenCompose(fromGroup -> catalog.get(NAMESPACE, key(name)).thenCompose(stored -> {
            Migration started = new Migration(name, fromGroup, toGroup, State.FREEZING, 0, clockMillis.getAsLong(), 0,
                    QueueExport.Position.START);
            if (stored.isPresent() && decode(stored.get()).state() != State.COMPLETED) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue is already being migrated.");
            }
            CompletableFuture<Boolean> written = stored.isPresent()
                    ? catalog.replaceIf(NAMESPACE, key(name), stored.get(), encode(started))
                    : catalog.putIfAbsent(NAMESPACE, key(name), encode(started));
            return written.thenApply(recorded -> {
                if (!recorded) {
                    throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue is already being migrated.");
                }
                return started;
            });
        }));
    }

    QueueLayoutChanges layouts() {
        return layouts;
    }

    /** The queue's latest migration (running or completed), or QueueDoesNotExist-like emptiness when it never had one. */
    public CompletableFuture<Migration> status(String name) {
        return catalog.get(NAMESPACE, key(name)).thenApply(stored -> stored.map(QueueMigrations::decode).orElseThrow(
                () -> SqsError.RESOURCE_NOT_FOUND.exception("The queue has no migration.")));
    }

    /** Migrations not yet completed, for the workers: every page of the records (completed ones stay, one per queue). */
    CompletableFuture<List<Migration>> unfinished() {
        return unfinished(null, new ArrayList<>());
    }

    private CompletableFuture<List<Migration>> unfinished(String startAfter, List<Migration> running) {
        return catalog.scan(NAMESPACE, accountId + "/", startAfter, SCAN_PAGE).thenCompose(page -> {
            for (Catalog.Entry entry : page.entries()) {
                Migration migration = decode(entry.value());
                if (migration.state() != State.COMPLETED) {
                    running.add(migration);
                }
            }
            if (!page.more() || page.entries().isEmpty()) {
                return CompletableFuture.completedFuture(running);
            }
            return unfinished(page.entries().get(page.entries().size() - 1).key(), running);
        });
    }

    /** Stores {@code updated} if the record still is {@code expected}. */
    CompletableFuture<Boolean> update(Migration expected, Migration updated) {
        return catalog.replaceIf(NAMESPACE, key(expected.queueName()), encode(expected), encode(updated));
    }


    private String key(String name) {
        return accountId + "/" + name;
    }

    static byte[] encode(Migration migration) {
        BinaryWriter out = new BinaryWriter(64).putByte(migration.position() == null ? FORMAT : FORMAT_WITH_POSITION)
                .putString(migration.queueName()).putInt(migration.fromGroup())
                .putInt(migration.toGroup()).putByte(migration.state().ordinal()).putLong(migration.moved())
                .putLong(migration.startedMillis()).putLong(migration.finishedMillis());
        if (migration.position() != null) {
            QueueExportCodec.putPosition(out, migration.position());
        }
        return out.toByteArray();
    }

    static Migration decode(byte[] record) {
        BinaryReader in = new BinaryReader(ByteBuffer.wrap(record));
        int format = in.getByte();
        if (format != FORMAT && format != FORMAT_WITH_POSITION) {
            throw new IllegalStateException("unknown queue migration format " + format);
        }
        Migration migration = new Migration(in.getString(), in.getInt(), in.getInt(), State.values()[in.getByte()], in.getLong(),
                in.getLong(), in.getLong());
        return format == FORMAT ? migration : new Migration(migration.queueName(), migration.fromGroup(), migration.toGroup(),
                migration.state(), migration.moved(), migration.startedMillis(), migration.finishedMillis(),
                QueueExportCodec.getPosition(in));
    }
}
