package dev.sluice.broker.statemachine;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.codec.QueueExportCodec;
import dev.sluice.broker.codec.QueueQueryCodec;
import dev.sluice.broker.codec.QueueResultCodec;
import dev.sluice.broker.core.EngineLimits;
import dev.sluice.broker.core.EntryStamp;
import dev.sluice.broker.core.QueueActivity;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.core.QueueBook;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueCommand.CancelMoveTask;
import dev.sluice.broker.core.QueueCommand.ChangeVisibility;
import dev.sluice.broker.core.QueueCommand.CreateQueue;
import dev.sluice.broker.core.QueueCommand.Delete;
import dev.sluice.broker.core.QueueCommand.ImportTransfers;
import dev.sluice.broker.core.QueueCommand.SettleTransfers;
import dev.sluice.broker.core.QueueCommand.StartMoveTaskAcrossGroups;
import dev.sluice.broker.core.QueueCommand.DeleteQueue;
import dev.sluice.broker.core.QueueCommand.DeleteQueueIfEmpty;
import dev.sluice.broker.core.QueueCommand.SetQueueLayout;
import dev.sluice.broker.core.QueueCommand.Purge;
import dev.sluice.broker.core.QueueCommand.Receive;
import dev.sluice.broker.core.QueueCommand.Send;
import dev.sluice.broker.core.QueueCommand.SetAttributes;
import dev.sluice.broker.core.QueueCommand.StartMoveTask;
import dev.sluice.broker.core.QueueCommand.StepMoveTask;
import dev.sluice.broker.core.QueueCommand.TagQueue;
import dev.sluice.broker.core.QueueCommand.UntagQueue;
import dev.sluice.broker.core.QueueQuery;
import dev.sluice.broker.core.QueueSettings;
import dev.sluice.broker.core.QueueStats;
import dev.sluice.broker.core.QueueWakeups;
import dev.sluice.broker.core.ReceivedMessage;
import dev.sluice.broker.core.UsageMeter;
import dev.sluice.broker.core.UsageRows;
import dev.sluice.broker.storage.QueueKeys;
import dev.sluice.broker.storage.QueueRecovery;
import dev.sluice.broker.storage.RocksQueueStorage;
import dev.sluice.broker.storage.UsageStore;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.raftstore.codec.BinaryWriter;
import dev.sluice.raftstore.spi.ApplyContext;
import dev.sluice.raftstore.spi.DomainEngine;
import dev.sluice.raftstore.spi.StoreReader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The queue engine of one data group: a thin adapter from log frames to {@link QueueBook}. Apply
 * holds the write lock; queries and this replica's local reads ({@link #read}) hold the read lock.
 */
public final class QueueEngine implements DomainEngine {
    private final QueueAttributeCodec codec;
    private final String region;
    private final String accountId;
    private final EngineLimits limits;
    private final QueueWakeups wakeups;
    private final QueueActivity activity;
    private final RocksQueueStorage storage = new RocksQueueStorage();
    /** Each account's billing units per hour, counted in apply in the entry's own batch (see {@link UsageMeter}). */
    private final UsageStore usage = new UsageStore();
    private final UsageMeter meter;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** Volatile for {@link #policyOf}, the one read without the lock; replaced by {@link #recover}. */
    private volatile QueueBook book;
    /** The last {@link #recover}'s rebuild of {@link #book}: apply and reads wait for it. */
    private volatile CompletableFuture<Void> rebuilt = CompletableFuture.completedFuture(null);
    /** The log index of the last entry this replica applied (0 before any since start): a migration's sequence floor. */
    private volatile long lastAppliedIndex;
    /** Upper bound of the apply context's sequence counter within one entry (word 1 of uniqueBits: index << 24). */
    private static final int SEQUENCE_INDEX_SHIFT = 24;
    /** An export page's size at most (beyond its first item): one import carries it in one Raft entry. */
    public static final int MAX_EXPORT_PAGE_BYTES = 256 * 1024;

    public QueueEngine(QueueAttributeCodec codec, String region, String accountId, EngineLimits limits, QueueWakeups wakeups) {
        this(codec, region, accountId, limits, wakeups, QueueActivity.NONE);
    }

    /** @param activity node-local meters, told the traffic of the entries this node proposed as leader */
    public QueueEngine(QueueAttributeCodec codec, String region, String accountId, EngineLimits limits, QueueWakeups wakeups,
            QueueActivity activity) {
        this.activity = activity;
        this.codec = codec;
        this.region = region;
        this.accountId = accountId;
        this.limits = limits;
        this.wakeups = wakeups;
        this.meter = new UsageMeter(accountId);
        this.book = newBook();
    }

    private QueueBook newBook() {
        return new QueueBook(codec, region, accountId, limits, storage, wakeups);
    }

    @Override
    public List<String> columnFamilies() {
        return QueueKeys.COLUMN_FAMILIES;
    }

    /**
     * Indexes the stored queues and messages on a thread of its own: with a deep backlog that takes seconds, which the
     * group's start (loading its log, the node's wiring) no longer waits for. Apply and reads wait for it instead.
     */
    @Override
    public CompletableFuture<Void> recover(StoreReader reader) {
        usage.forgetWrittenValues();
        CompletableFuture<Void> rebuilding = new CompletableFuture<>();
        rebuilt = rebuilding;
        Thread indexer = new Thread(() -> {
            try {
                QueueBook fresh = newBook();
                QueueRecovery.load(reader, fresh);
                lock.writeLock().lock();
                try {
                    book = fresh;
                } finally {
                    lock.writeLock().unlock();
                }
                rebuilding.complete(null);
            } catch (RuntimeException | Error e) {
                rebuilding.completeExceptionally(e);
            }
        }, "queue-index");
        indexer.setDaemon(true);
        indexer.start();
        return rebuilding;
    }

    /** Waits until the book is rebuilt from the store; throws what the rebuild threw (a corrupt store). */
    private void awaitRebuilt() {
        rebuilt.join();
    }

    @Override
    public byte[] apply(int commandType, ByteBuffer payload, ApplyContext context) {
        awaitRebuilt();
        QueueCommand command = QueueCommandCodec.decode(commandType, payload);
        EntryStamp stamp = new EntryStamp() {
            @Override
            public long nowMillis() {
                return context.timeMillis();
            }

            @Override
            public long[] uniqueBits() {
                return context.uniqueBits();
            }
        };
        lock.writeLock().lock();
        try {
            storage.use(context.writer());
            usage.use(context.writer());
            meter.use(usage);
            book.meterInto(usage, context.timeMillis());
            // Meters only: each entry's traffic counts on the one node that proposed it (never read by apply).
            book.reportTo(context.proposedHere() ? activity : QueueActivity.NONE);
            if (context.proposedHere()) {
                activity.applied(command.type());
            }
            lastAppliedIndex = context.logIndex();
            return execute(command, stamp);
        } catch (SqsException rejected) {
            // A rejection travels back as a result value. Rejections come before any change, except
            // receive's OverLimit after expiring or dead-lettering messages: those changes are in
            // memory and in the batch alike, so committing the batch keeps the two consistent.
            return QueueResultCodec.failure(rejected.error(), rejected.getMessage());
        } finally {
            storage.use(null);
            usage.use(null);
            meter.use(null);
            book.meterInto(null, 0);
            lock.writeLock().unlock();
        }
    }

    /** Writes the usage the entry's commands added, once per counter, into the entry's batch (see {@link UsageStore}). */
    @Override
    public void beforeCommit(ApplyContext context) {
        usage.writeEntry(context.writer());
    }

    /**
     * One command against the book: a {@code switch} expression over {@link dev.sluice.broker.core.QueueCommandType}
     * without a default, so a command type without a branch here does not compile and none can fall through to OK.
     */
    private byte[] execute(QueueCommand command, EntryStamp stamp) {
        meterRequest(command, stamp);
        BinaryWriter out = QueueResultCodec.ok();
        BinaryWriter answered = switch (command.type()) {
            case CREATE_QUEUE, CREATE_QUEUE_WITH_REMOTE_DEAD_LETTER_QUEUE -> {
                CreateQueue c = (CreateQueue) command;
                yield out.putString(book.createQueue(c.name(), c.attributes(), c.tags(), c.remoteDeadLetterQueue(), stamp));
            }
            case DELETE_QUEUE -> {
                book.deleteQueue(((DeleteQueue) command).name(), stamp);
                yield out;
            }
            case SET_ATTRIBUTES, SET_ATTRIBUTES_WITH_REMOTE_DEAD_LETTER_QUEUE -> {
                SetAttributes c = (SetAttributes) command;
                book.setAttributes(c.name(), c.attributes(), c.remoteDeadLetterQueue(), stamp);
                yield out;
            }
            case TAG_QUEUE -> {
                TagQueue c = (TagQueue) command;
                book.tag(c.name(), c.tags(), c.maxTags());
                yield out;
            }
            case UNTAG_QUEUE -> {
                UntagQueue c = (UntagQueue) command;
                book.untag(c.name(), c.keys());
                yield out;
            }
            case SEND, SEND_SQS_DELIVERIES -> {
                Send c = (Send) command;
                yield QueueResultCodec.endWithOutcomes(out, book.send(c.name(), c.entries(), stamp,
                        meter.sqsDeliveries(c.deliveriesBilledTo(), stamp)));
            }
            case RECEIVE, RECEIVE_WITH_ATTEMPT -> {
                Receive c = (Receive) command;
                List<ReceivedMessage> received = book.receive(c.name(), c.maxMessages(), c.visibilityTimeoutSeconds(),
                        c.receiveRequestAttemptId(), stamp);
                meter.received(c.name(), received, stamp);
                yield QueueResultCodec.endWithMessages(out, received);
            }
            case DELETE, DELETE_BILLING_INVOCATION -> {
                Delete c = (Delete) command;
                yield QueueResultCodec.endWithOutcomes(out, book.delete(c.name(), c.entries(),
                        meter.removals(c.name(), c.invocationBilledTo(), c.invocationMillis(), stamp)));
            }
            case CHANGE_VISIBILITY -> {
                ChangeVisibility c = (ChangeVisibility) command;
                yield QueueResultCodec.endWithOutcomes(out, book.changeVisibility(c.name(), c.entries(), stamp));
            }
            case PURGE -> {
                book.purge(((Purge) command).name(), stamp);
                yield out;
            }
            case START_MOVE_TASK -> {
                StartMoveTask c = (StartMoveTask) command;
                yield out.putString(book.moveTasks().start(c.sourceArn(), c.destinationArn(), c.maxMessagesPerSecond(),
                        stamp).handle());
            }
            case STEP_MOVE_TASK, STEP_MOVE_TASK_UP_TO_COUNT -> {
                StepMoveTask c = (StepMoveTask) command;
                book.moveTasks().step(c.handle(), c.maxMessages(), c.upToCount(), stamp);
                yield out;
            }
            case CANCEL_MOVE_TASK -> {
                dev.sluice.broker.core.MoveTask cancelled = book.moveTasks().cancel(((CancelMoveTask) command).handle());
                meter.requestOnArn(cancelled.sourceArn(), stamp);
                yield out.putLong(cancelled.movedCount());
            }
            case START_MOVE_TASK_ACROSS_GROUPS -> {
                StartMoveTaskAcrossGroups c = (StartMoveTaskAcrossGroups) command;
                yield out.putString(book.moveTasks().startAcrossGroups(c.sourceArn(), c.destinationArn(),
                        c.remoteDestination(), c.sourceIsDeadLetterQueue(), c.maxMessagesPerSecond(), stamp).handle());
            }
            case IMPORT_TRANSFERS -> {
                QueueResultCodec.putImportOutcomes(out, book.importTransfers(((ImportTransfers) command).imports(), stamp));
                yield out;
            }
            case SETTLE_TRANSFERS -> {
                SettleTransfers c = (SettleTransfers) command;
                yield out.putInt(book.settleTransfers(c.delivered(), c.returned(), stamp));
            }
            case SET_QUEUE_LAYOUT -> {
                SetQueueLayout c = (SetQueueLayout) command;
                book.setLayout(c.name(), c.layout());
                yield out;
            }
            case DELETE_QUEUE_IF_EMPTY -> {
                book.deleteQueueIfEmpty(((DeleteQueueIfEmpty) command).name(), stamp);
                yield out;
            }
            case IMPORT_QUEUE_STATE -> {
                QueueCommand.ImportQueueState c = (QueueCommand.ImportQueueState) command;
                yield out.putInt(book.importState(c.name(), c.page(), stamp));
            }
            case RECORD_USAGE -> {
                QueueCommand.RecordUsage c = (QueueCommand.RecordUsage) command;
                if (c.rows().isEmpty()) {
                    // The leader's hourly tick (see StorageAccrualWorker): bills every queue's stored bytes up to now.
                    book.accrueAll();
                    yield out.putBoolean(false);
                }
                yield out.putBoolean(usage.recordOnce(c.source(), c.sequence(), c.rows()));
            }
            case FAN_OUT -> {
                QueueCommand.FanOut c = (QueueCommand.FanOut) command;
                List<dev.sluice.broker.core.FanOutItem.Outcome> outcomes = book.fanOut(c.outbox(), c.items(), stamp,
                        meter.sqsDeliveries(c.deliveriesBilledTo(), stamp));
                meterCopies(c, outcomes, stamp);
                QueueResultCodec.putFanOutOutcomes(out, outcomes);
                yield out;
            }
        };
        return answered.toByteArray();
    }

    /**
     * The billing units of a client's action, counted before it runs, so that a refused action (no such queue, a bad
     * receipt handle) is billed as SQS bills it; a receive is counted by what it returned, a cancelled move task once
     * its source is known. The group's own steps (move-task steps, transfers between groups, migrations, layouts) are
     * nobody's requests.
     */
    private void meterRequest(QueueCommand command, EntryStamp stamp) {
        // A switch expression without a default: a new command type must decide here whether it is billed.
        String billedQueue = switch (command.type()) {
            case CREATE_QUEUE, CREATE_QUEUE_WITH_REMOTE_DEAD_LETTER_QUEUE -> ((CreateQueue) command).name();
            case DELETE_QUEUE -> ((DeleteQueue) command).name();
            case SET_ATTRIBUTES, SET_ATTRIBUTES_WITH_REMOTE_DEAD_LETTER_QUEUE -> ((SetAttributes) command).name();
            case TAG_QUEUE -> ((TagQueue) command).name();
            case UNTAG_QUEUE -> ((UntagQueue) command).name();
            case DELETE, DELETE_BILLING_INVOCATION -> ((Delete) command).name();
            case CHANGE_VISIBILITY -> ((ChangeVisibility) command).name();
            case PURGE -> ((Purge) command).name();
            case SEND, SEND_SQS_DELIVERIES -> {
                meter.sent(((Send) command).name(), ((Send) command).entries(), stamp);
                yield null;
            }
            case START_MOVE_TASK -> {
                meter.requestOnArn(((StartMoveTask) command).sourceArn(), stamp);
                yield null;
            }
            case START_MOVE_TASK_ACROSS_GROUPS -> {
                meter.requestOnArn(((StartMoveTaskAcrossGroups) command).sourceArn(), stamp);
                yield null;
            }
            // A fan-out bills the sends its taken items stand for, once the apply knows which it took (meterCopies).
            case FAN_OUT, RECEIVE, RECEIVE_WITH_ATTEMPT, CANCEL_MOVE_TASK, STEP_MOVE_TASK, STEP_MOVE_TASK_UP_TO_COUNT, IMPORT_TRANSFERS,
                    SETTLE_TRANSFERS, SET_QUEUE_LAYOUT, DELETE_QUEUE_IF_EMPTY, IMPORT_QUEUE_STATE, RECORD_USAGE -> null;
        };
        if (billedQueue != null) {
            meter.request(billedQueue, stamp);
        }
    }

    /**
     * The copies of the items a fan-out took, billed as the sends of them the receive loop makes: one send per
     * destination queue, to that queue's owner (a delivery queue, internal, bills nothing), refused copies included as
     * a send's are (their retry is another send). An item skipped (taken before, by a replay or another proposer) or
     * left (the receive loop sends it) was sent by nobody here and bills nothing.
     */
    private void meterCopies(QueueCommand.FanOut command, List<dev.sluice.broker.core.FanOutItem.Outcome> outcomes,
            EntryStamp stamp) {
        java.util.Map<String, List<dev.sluice.broker.core.SendEntry>> byQueue = new java.util.TreeMap<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).status() != dev.sluice.broker.core.FanOutItem.Status.TAKEN) {
                continue;
            }
            for (dev.sluice.broker.core.FanOutItem.Copy copy : command.items().get(i).copies()) {
                String queue = QueueBook.nameOfArn(copy.destinationArn(), accountId);
                if (queue != null) {
                    byQueue.computeIfAbsent(queue, name -> new java.util.ArrayList<>()).add(copy.entry());
                }
            }
        }
        byQueue.forEach((queue, entries) -> meter.sent(queue, entries, stamp));
    }

    @Override
    public byte[] query(ByteBuffer request, StoreReader reader) {
        QueueQuery query = QueueQueryCodec.decode(request);
        return read(current -> {
            try {
                return answer(current, query, reader);
            } catch (SqsException rejected) {
                return QueueResultCodec.failure(rejected.error(), rejected.getMessage());
            }
        });
    }

    /** One query: exhaustive over {@link dev.sluice.broker.core.QueueQueryType}, like {@link #execute}. */
    private byte[] answer(QueueBook book, QueueQuery query, StoreReader reader) {
        BinaryWriter out = QueueResultCodec.ok();
        BinaryWriter answered = switch (query.type()) {
            case ATTRIBUTES -> {
                QueueQuery.Attributes q = (QueueQuery.Attributes) query;
                QueueResultCodec.putStringMap(out, book.attributes(q.name(), q.attributeNames(), q.nowMillis()));
                yield out;
            }
            case EXISTS -> out.putBoolean(book.exists(((QueueQuery.Exists) query).name()));
            case LIST_QUEUES -> {
                QueueQuery.ListQueues q = (QueueQuery.ListQueues) query;
                QueueResultCodec.putStrings(out, book.names(q.prefix(), q.startAfter(), q.limit()));
                yield out;
            }
            case TAGS -> {
                QueueResultCodec.putStringMap(out, book.tags(((QueueQuery.Tags) query).name()));
                yield out;
            }
            case DEAD_LETTER_SOURCES -> {
                QueueResultCodec.putStrings(out, book.deadLetterSources(((QueueQuery.DeadLetterSources) query).name()));
                yield out;
            }
            case MOVE_TASKS_OF -> {
                QueueQuery.MoveTasksOf q = (QueueQuery.MoveTasksOf) query;
                QueueResultCodec.putMoveTasks(out, book.moveTasks().list(q.sourceArn(), q.limit()));
                yield out;
            }
            case DEAD_LETTER_SOURCES_ANYWHERE -> {
                QueueResultCodec.putStrings(out, book.deadLetterSourcesOf(((QueueQuery.DeadLetterSourcesAnywhere) query).name()));
                yield out;
            }
            case REDRIVE_TARGET -> {
                QueueQuery.RedriveTarget q = (QueueQuery.RedriveTarget) query;
                boolean exists = book.exists(q.name());
                out.putBoolean(exists);
                if (exists) {
                    QueueSettings settings = book.settings(q.name());
                    out.putBoolean(settings.fifoQueue())
                            .putBoolean(QueueBook.redriveAllows(settings.redriveAllowPolicy(), q.sourceArn()));
                }
                yield out;
            }
            case LIVE_DEDUPLICATION -> {
                QueueQuery.LiveDeduplication q = (QueueQuery.LiveDeduplication) query;
                yield out.putBoolean(book.remembersDeduplication(q.name(), q.nowMillis()));
            }
            case RECEIVABLE -> {
                String name = ((QueueQuery.Receivable) query).name();
                yield out.putLong(book.receivableCount(name)).putLong(book.nextVisibleAtMillis(name));
            }
            case EXPORT_QUEUE -> {
                QueueQuery.ExportQueue q = (QueueQuery.ExportQueue) query;
                long queueId = book.queueId(q.name());
                // Every sequence number given so far came from an entry at or before the last applied one.
                long floorHint = lastAppliedIndex == 0 ? 0 : (lastAppliedIndex + 1) << SEQUENCE_INDEX_SHIFT;
                QueueExportCodec.putPage(out, book.exportState(q.name(), q.from(), Math.min(q.maxBytes(), MAX_EXPORT_PAGE_BYTES),
                        q.nowMillis(), floorHint, seq -> RocksQueueStorage.readMessage(reader, queueId, seq)));
                yield out;
            }
            case QUEUE_STATS -> {
                QueueQuery.Stats q = (QueueQuery.Stats) query;
                // The counts are this node's meters, not replicated state: a read, so replicas cannot diverge by it.
                QueueResultCodec.putStats(out, book.depths(q.names(), q.nowMillis()).stream()
                        .map(depth -> new QueueStats(depth, activity.counted(depth.queue()))).toList());
                yield out;
            }
            case USAGE -> {
                QueueQuery.Usage q = (QueueQuery.Usage) query;
                UsageRows rows = UsageStore.read(reader, q.account().isEmpty() ? null : q.account(), q.fromMillis(),
                        q.toMillis());
                QueueResultCodec.putUsage(out, rows.rows(), rows.truncated());
                yield out;
            }
            case ACCOUNT_HOLDINGS -> {
                QueueResultCodec.putHoldings(out, book.holdings(((QueueQuery.AccountHoldings) query).accounts()));
                yield out;
            }
            case PEEK_MESSAGES -> {
                QueueQuery.PeekMessages q = (QueueQuery.PeekMessages) query;
                long queueId = book.queueId(q.name());
                QueueResultCodec.putPeeked(out, book.peek(q.name(), q.limit(), q.nowMillis(),
                        seq -> RocksQueueStorage.readMessage(reader, queueId, seq)));
                yield out;
            }
        };
        return answered.toByteArray();
    }

    /**
     * The access Policy of queue {@code name} as this replica holds it (empty without one or for a missing queue), read
     * without the engine's lock once the book is rebuilt ({@link QueueBook#policyOf}): the SQS edge asks this for every
     * request, on an event loop, which must not wait for the command being applied. While the book is being rebuilt,
     * it waits for it, as {@link #read} does.
     */
    public Optional<String> policyOf(String name) {
        CompletableFuture<Void> rebuild = rebuilt;
        if (!rebuild.isDone() || rebuild.isCompletedExceptionally()) {
            return read(rebuiltBook -> rebuiltBook.policyOf(name));
        }
        return book.policyOf(name);
    }

    /** Reads this replica's state under the read lock (possibly behind the leader): for approximate reads and waits. */
    public <T> T read(Function<QueueBook, T> reader) {
        awaitRebuilt();
        lock.readLock().lock();
        try {
            return reader.apply(book);
        } finally {
            lock.readLock().unlock();
        }
    }
}
