package dev.sluice.broker.core;

import dev.sluice.clientsdk.MessageSize;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every queue of one Raft group and the rules for changing them: the deterministic heart of the
 * queue engine. Methods that change state are called by the apply thread only, with the entry's
 * {@link EntryStamp}; whole-command rejections are {@link SqsException}s raised before anything
 * changes (the state machine turns them into result values), batch entries fail one by one.
 * Readers on other threads must hold the engine's read lock.
 */
public final class QueueBook {
    /** SQS keeps a deleted queue's name reserved for 60 seconds. */
    static final long NAME_REUSE_DELAY_MILLIS = 60_000;
    /** At most one purge per 60 seconds per queue. */
    static final long PURGE_INTERVAL_MILLIS = 60_000;

    private final QueueAttributeCodec codec;
    private final String region;
    private final String accountId;
    private final EngineLimits limits;
    private final QueueStorage storage;
    private final FifoMemory fifo;
    private final Receives receives;
    private final NavigableMap<String, QueueState> queues = new TreeMap<>();
    /** Each queue's Policy, for readers outside the engine's lock: written where {@link #queues} or settings change. */
    private final PublishedPolicies policies = new PublishedPolicies();
    /** Lookup only, never iterated: recovery and receipt handles address queues by id. */
    private final Map<Long, QueueState> queuesById = new java.util.HashMap<>();
    private final Map<String, Long> tombstones = new TreeMap<>();
    private final MoveTasks moveTasks;
    private final QueueWakeups wakeups;
    private final TransferOutbox outbox;
    private final TransferInbox inbox;
    /** Queues whose dead-letter queue the router verified in another group (see {@link RemoteQueue}). */
    private final java.util.NavigableSet<String> remoteDeadLetterTargets = new java.util.TreeSet<>();
    /** Where the current entry's traffic is counted: node-local meters, or nowhere (set per entry by the engine). */
    private QueueActivity activity = QueueActivity.NONE;
    /** Where the current entry's stored byte-hours are billed, and its leader time (set per entry by the engine). */
    private UsageLedger ledger = UsageLedger.NONE;
    private long entryMillis;

    public QueueBook(QueueAttributeCodec codec, String region, String accountId, EngineLimits limits, QueueStorage storage,
            QueueWakeups wakeups) {
        this(codec, region, accountId, limits, storage, wakeups, TransferOutbox.MAX_PENDING);
    }

    QueueBook(QueueAttributeCodec codec, String region, String accountId, EngineLimits limits, QueueStorage storage,
            QueueWakeups wakeups, int maxPendingTransfers) {
        this.codec = codec;
        this.region = region;
        this.accountId = accountId;
        this.limits = limits;
        this.storage = storage;
        this.fifo = new FifoMemory(storage, limits.deduplicationIntervalMillis());
        this.receives = new Receives(this, storage, fifo, limits, accountId);
        this.wakeups = wakeups;
        this.moveTasks = new MoveTasks(this, storage);
        this.outbox = new TransferOutbox(storage, maxPendingTransfers);
        this.inbox = new TransferInbox(storage);
    }

    /** Counts the traffic of the entries applied next into {@code activity} (apply thread). */
    public void reportTo(QueueActivity activity) {
        this.activity = activity;
    }

    /**
     * Bills the stored byte-hours of the entry applied next into {@code entryLedger}, up to its leader time
     * {@code entryMillis} (apply thread; the entry's {@link EntryStamp} carries the same time).
     */
    public void meterInto(UsageLedger entryLedger, long entryMillis) {
        this.ledger = entryLedger == null ? UsageLedger.NONE : entryLedger;
        this.entryMillis = entryMillis;
    }

    // ---- recovery (apply thread, before any command) ----

    public void restoreQueue(QueueRecord record) {
        QueueSettings settings = codec.forCreate(record.name(), record.attributes());
        QueueState queue = new QueueState(record.id(), record.name(), arnOf(record.name()), settings, record.tags(),
                record.createdMillis(), record.modifiedMillis(), record.lastPurgeMillis(),
                UsageMeter.accountOf(record.name(), accountId));
        queue.layout = record.layout();
        register(queue);
    }

    public void restoreTombstone(String name, long deletedAtMillis) {
        tombstones.put(name, deletedAtMillis);
    }

    /**
     * Adds a stored message back to its queue's index, in sequence order within the queue; unknown
     * queue ids are ignored (deleted queue).
     */
    public void restoreMessage(long queueId, MessageMeta meta, String messageGroupId, long nowMillis) {
        QueueState queue = byId(queueId);
        if (queue != null) {
            queue.index.restore(meta, messageGroupId, nowMillis);
            queue.storedBytes += meta.payloadBytes;
        }
    }

    /** Where a queue's stored bytes were billed up to (see {@link QueueStorage#putAccrual}); unknown queue ids are ignored. */
    public void restoreAccrual(long queueId, long accruedUntilMillis, long carryByteMillis) {
        QueueState queue = byId(queueId);
        if (queue != null) {
            queue.accruedUntilMillis = accruedUntilMillis;
            queue.carryByteMillis = carryByteMillis;
        }
    }

    public void restoreDeduplication(long queueId, String key, DeduplicationRecord record) {
        fifo.restoreSend(queueId, key, record);
    }

    public void restoreReceiveAttempt(long queueId, String attemptId, ReceiveAttempt attempt) {
        fifo.restoreReceive(queueId, attemptId, attempt);
    }

    public void restoreMoveTask(MoveTask task) {
        moveTasks.restore(task);
    }

    public void restoreTransfer(Transfer transfer) {
        outbox.restore(transfer);
    }

    public void restoreImportedTransfer(long queueId, String transferId, ImportedTransfer record) {
        inbox.restore(queueId, transferId, record);
    }

    /** After {@link #restoreQueue}: where a queue migrated into this group came from. */
    public void restoreLineage(String queueName, QueueLineage lineage) {
        QueueState queue = queues.get(queueName);
        if (queue != null) {
            queue.lineage = lineage;
        }
    }

    public void restoreRemoteDeadLetterTarget(String queueName) {
        remoteDeadLetterTargets.add(queueName);
    }

    // ---- queue administration ----

    public String createQueue(String name, Map<String, String> attributes, Map<String, String> tags, EntryStamp stamp) {
        return createQueue(name, attributes, tags, null, stamp);
    }

    /**
     * CreateQueue whose RedrivePolicy may name a dead-letter queue in another group: {@code remoteTarget}
     * (null: none) is what the router verified about it.
     */
    public String createQueue(String name, Map<String, String> attributes, Map<String, String> tags,
            RemoteQueue remoteTarget, EntryStamp stamp) {
        QueueState existing = queues.get(name);
        if (existing != null) {
            Map<String, String> current = codec.render(existing.settings);
            for (var requested : attributes.entrySet()) {
                if (!requested.getValue().equals(current.get(requested.getKey()))) {
                    throw SqsError.QUEUE_NAME_EXISTS.exception("A queue already exists with the same name and a different value for attribute "
                            + requested.getKey());
                }
            }
            return name;
        }
        long now = stamp.nowMillis();
        Long deletedAt = tombstones.get(name);
        if (deletedAt != null && now - deletedAt < NAME_REUSE_DELAY_MILLIS) {
            throw SqsError.QUEUE_DELETED_RECENTLY.exception();
        }
        QueueSettings settings = codec.forCreate(name, attributes);
        boolean remote = checkDeadLetterTarget(name, settings, remoteTarget, false);
        QueueState queue = new QueueState(stamp.sequence(), name, arnOf(name), settings, new TreeMap<>(tags), now, now, 0,
                UsageMeter.accountOf(name, accountId));
        register(queue);
        if (deletedAt != null) {
            tombstones.remove(name);
            storage.deleteTombstone(name);
        }
        storage.putQueue(queue.record(codec));
        markRemoteDeadLetterTarget(name, remote);
        return name;
    }

    public void deleteQueue(String name, EntryStamp stamp) {
        remove(require(name), stamp);
    }

    /**
     * Deletes the queue only if it holds no message at all: none visible, in flight or delayed, and none of it on its
     * way to another group in the outbox (a transfer returned to a missing queue would be dropped). Decided within
     * one apply, so no send can slip in between the check and the delete (a migration's last step: the old group's
     * queue, fenced against sends, is removed only once drained). Otherwise OverLimit, changing nothing.
     */
    public void deleteQueueIfEmpty(String name, EntryStamp stamp) {
        QueueState queue = require(name);
        int messages = queue.index.size();
        int leaving = outbox.next(1, Integer.MAX_VALUE, transfer -> transfer.originQueue().equals(name)).size();
        if (messages > 0 || leaving > 0) {
            throw SqsError.OVER_LIMIT.exception("The queue " + name + " is not empty: " + messages
                    + " messages, and " + (leaving > 0 ? "some" : "none") + " on their way to another group.");
        }
        remove(queue, stamp);
    }

    private void remove(QueueState queue, EntryStamp stamp) {
        String name = queue.name;
        if (queue.layout.fence() != QueueLayout.Fence.OPEN) {
            // A fenced queue is deleted here because it migrated to another group: the sources here that named it as
            // their dead-letter queue now reach it there, through the outbox, in the same apply (no dead letter meets
            // a missing queue in between).
            deadLetterSourcesOf(name).forEach(source -> markRemoteDeadLetterTarget(source, true));
        }
        accrue(queue);
        queue.index.clear(seq -> storage.deleteMessage(queue.id, seq));
        storage.deleteAccrual(queue.id);
        queues.remove(name);
        policies.withdraw(name);
        queuesById.remove(queue.id);
        storage.deleteQueue(name);
        if (queue.lineage != QueueLineage.NONE) {
            storage.deleteLineage(name);
        }
        markRemoteDeadLetterTarget(name, false);
        tombstones.put(name, stamp.nowMillis());
        storage.putTombstone(name, stamp.nowMillis());
        wakeups.queueChanged(name);
    }

    public void setAttributes(String name, Map<String, String> attributes, EntryStamp stamp) {
        setAttributes(name, attributes, null, stamp);
    }

    /**
     * Sets the queue's layout (see {@link QueueLayout}); setting the one it has changes nothing, so a step repeated
     * after a crash is harmless. Waiting long polls are woken, so that a receive on a queue now closed is answered
     * QueueMoved at once and its router looks for the queue's new place.
     */
    public void setLayout(String name, QueueLayout layout) {
        QueueState queue = require(name);
        if (queue.layout.equals(layout)) {
            return;
        }
        // Billed up to here under the old fence: a queue closed for a copy stops billing, one reopened starts again.
        accrue(queue);
        queue.layout = layout;
        storage.putQueue(queue.record(codec));
        wakeups.queueChanged(name);
    }

    /** The queue's layout (readers hold the engine's read lock). */
    public QueueLayout layout(String name) {
        return require(name).layout;
    }

    /** SetQueueAttributes whose RedrivePolicy may name a verified dead-letter queue in another group ({@code remoteTarget}). */
    public void setAttributes(String name, Map<String, String> attributes, RemoteQueue remoteTarget, EntryStamp stamp) {
        QueueState queue = requireForMessages(name);
        QueueSettings updated = codec.update(queue.settings, attributes);
        // A remote target verified before stays valid while the policy keeps naming it.
        boolean keptRemote = remoteDeadLetterTargets.contains(name) && queue.settings.redrivePolicy() != null
                && updated.redrivePolicy() != null
                && queue.settings.redrivePolicy().deadLetterTargetArn().equals(updated.redrivePolicy().deadLetterTargetArn());
        boolean remote = checkDeadLetterTarget(name, updated, remoteTarget, keptRemote);
        markRemoteDeadLetterTarget(name, remote);
        int previousDelaySeconds = queue.settings.delaySeconds();
        queue.settings = updated;
        policies.publish(name, updated);
        queue.modifiedMillis = stamp.nowMillis();
        storage.putQueue(queue.record(codec));
        if (updated.fifoQueue() && updated.delaySeconds() != previousDelaySeconds) {
            delayAgain(queue, stamp.nowMillis());
        }
    }

    /**
     * SQS: "for FIFO queues, the per-queue delay setting is retroactive". Every message not yet
     * received waits the new delay from when it entered the queue; the new time is stored as the
     * message's delivery state, so recovery restores it. Costs the queue's ready and delayed
     * messages, once per change of the setting.
     */
    private void delayAgain(QueueState queue, long nowMillis) {
        long delayMillis = queue.settings.delaySeconds() * 1000L;
        for (MessageMeta meta : queue.index.notYetReceived()) {
            queue.index.delayUntil(meta, nowMillis, meta.retainedSinceMillis + delayMillis);
            storage.putDelivery(queue.id, meta.seq, meta);
        }
        wakeups.queueChanged(queue.name);
    }

    public void tag(String name, Map<String, String> tags, int maxTags) {
        QueueState queue = requireForMessages(name);
        SortedMap<String, String> merged = new TreeMap<>(queue.tags);
        merged.putAll(tags);
        if (merged.size() > maxTags) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Too many tags: a queue can have at most " + maxTags + ".");
        }
        queue.tags.putAll(tags);
        storage.putQueue(queue.record(codec));
    }

    public void untag(String name, List<String> keys) {
        QueueState queue = requireForMessages(name);
        keys.forEach(queue.tags::remove);
        storage.putQueue(queue.record(codec));
    }

    /**
     * The dead-letter queue must exist, be of the same kind, and allow this queue by its
     * RedriveAllowPolicy: checked here when it is in this book, else taken from what the router
     * verified ({@code remoteTarget}, for that ARN), else from an earlier verification the policy
     * still names ({@code keptRemote}). Returns whether the target is in another group. Commands of
     * the old codes carry no remote target and never keep one, so they decide exactly as before.
     */
    private boolean checkDeadLetterTarget(String sourceName, QueueSettings settings, RemoteQueue remoteTarget,
            boolean keptRemote) {
        if (settings.redrivePolicy() == null) {
            return false;
        }
        String targetArn = settings.redrivePolicy().deadLetterTargetArn();
        // SQS keeps a dead-letter queue in its source's account (and region); every queue of a log written before
        // accounts existed, and its dead-letter queue, is the default account's, so such entries decide as before.
        // Another account's queue is answered as a missing one, which it is to the source's owner: whether it exists
        // is not disclosed.
        String targetAccount = QueueUrl.ofArn(targetArn).map(QueueUrl::accountId).orElse(null);
        if (!QueueUrl.ofQualified(sourceName, accountId).accountId().equals(targetAccount)) {
            throw missingDeadLetterTarget(targetArn);
        }
        QueueState target = byArn(targetArn);
        if (target == null && keptRemote) {
            return true;
        }
        if (target == null && remoteTarget != null && remoteTarget.arn().equals(targetArn)) {
            if (remoteTarget.fifo() != settings.fifoQueue()) {
                throw redriveInvalid(targetArn, "Dead-letter queue must be of the same type (standard or FIFO) as the source queue.");
            }
            if (!remoteTarget.allowsSource()) {
                throw redriveInvalid(targetArn, "The dead-letter queue's RedriveAllowPolicy does not allow this source queue.");
            }
            return true;
        }
        if (target == null) {
            throw missingDeadLetterTarget(targetArn);
        }
        if (target.settings.fifoQueue() != settings.fifoQueue()) {
            throw redriveInvalid(targetArn, "Dead-letter queue must be of the same type (standard or FIFO) as the source queue.");
        }
        if (!redriveAllows(target.settings.redriveAllowPolicy(), arnOf(sourceName))) {
            throw redriveInvalid(targetArn, "The dead-letter queue's RedriveAllowPolicy does not allow this source queue.");
        }
        return false;
    }

    /** Whether a dead-letter queue's RedriveAllowPolicy (null: none, allows all) lets {@code sourceArn} use it. */
    public static boolean redriveAllows(QueueSettings.RedriveAllowPolicy allow, String sourceArn) {
        if (allow == null) {
            return true;
        }
        return switch (allow.redrivePermission()) {
            case ALLOW_ALL -> true;
            case DENY_ALL -> false;
            case BY_QUEUE -> allow.sourceQueueArns().contains(sourceArn);
        };
    }

    private void markRemoteDeadLetterTarget(String name, boolean remote) {
        if (remote && remoteDeadLetterTargets.add(name)) {
            storage.putRemoteDeadLetterTarget(name);
        } else if (!remote && remoteDeadLetterTargets.remove(name)) {
            storage.deleteRemoteDeadLetterTarget(name);
        }
    }

    /** Whether {@code queue}'s dead-letter queue is one the router verified in another group. */
    boolean hasRemoteDeadLetterTarget(QueueState queue) {
        return remoteDeadLetterTargets.contains(queue.name);
    }

    /** SetQueueAttributes' answer for a RedrivePolicy whose dead-letter queue does not exist. */
    public static SqsException missingDeadLetterTarget(String targetArn) {
        return redriveInvalid(targetArn, "Dead letter target does not exist.");
    }

    private static SqsException redriveInvalid(String targetArn, String reason) {
        return SqsError.INVALID_PARAMETER_VALUE.exception("Value {\"deadLetterTargetArn\":\"" + targetArn
                + "\"} for parameter RedrivePolicy is invalid. Reason: " + reason);
    }

    // ---- messages ----

    public List<EntryOutcome> send(String name, List<SendEntry> entries, EntryStamp stamp) {
        return send(name, entries, stamp, entry -> { });
    }

    /** {@link #send}, telling {@code stored} each entry it stored (not a refused entry, not a FIFO duplicate). */
    public List<EntryOutcome> send(String name, List<SendEntry> entries, EntryStamp stamp,
            java.util.function.Consumer<SendEntry> stored) {
        QueueState queue = require(name);
        checkSends(queue, entries);
        fifo.prune(stamp.nowMillis());
        ReadyMark before = ReadyMark.of(this, name);
        List<EntryOutcome> outcomes = new ArrayList<>(entries.size());
        for (SendEntry entry : entries) {
            // Sized once: the check, the stored size and the activity meter all count the same bytes.
            int sizeBytes = entry.sizeBytes();
            if (sizeBytes > queue.settings.maximumMessageSizeBytes()) {
                outcomes.add(EntryOutcome.failed(entry.id(), new EngineFailure(SqsError.INVALID_PARAMETER_VALUE,
                        "One or more parameters are invalid. Reason: Message must be shorter than "
                                + queue.settings.maximumMessageSizeBytes() + " bytes.")));
                continue;
            }
            outcomes.add(queue.settings.fifoQueue() ? sendFifo(queue, entry, sizeBytes, stamp, stored)
                    : sendStandard(queue, entry, sizeBytes, stamp, stored));
        }
        before.tell(this, wakeups);
        return outcomes;
    }

    private EntryOutcome sendStandard(QueueState queue, SendEntry entry, int sizeBytes, EntryStamp stamp,
            java.util.function.Consumer<SendEntry> stored) {
        long now = stamp.nowMillis();
        int delaySeconds = entry.delaySeconds() != null ? entry.delaySeconds() : queue.settings.delaySeconds();
        String messageId = MessageIds.format(stamp.uniqueBits());
        append(queue, new StoredMessage(messageId, now, now + delaySeconds * 1000L, entry.body(), entry.messageAttributes(),
                entry.traceHeader(), entry.messageGroupId(), null, null), stamp, sizeBytes);
        activity.sent(queue.name, sizeBytes);
        stored.accept(entry);
        return EntryOutcome.ok(entry.id(), messageId);
    }

    /**
     * A FIFO send: a duplicate within the deduplication interval is accepted and answered with the
     * original's MessageId and SequenceNumber, and stores nothing. Only the queue's delay applies
     * (the edge refuses per-message delays).
     */
    private EntryOutcome sendFifo(QueueState queue, SendEntry entry, int sizeBytes, EntryStamp stamp,
            java.util.function.Consumer<SendEntry> stored) {
        if (entry.messageGroupId() == null) {
            return EntryOutcome.failed(entry.id(), new EngineFailure(SqsError.MISSING_PARAMETER,
                    "The request must contain the parameter MessageGroupId."));
        }
        String deduplicationId = FifoMemory.deduplicationId(queue.settings, entry);
        if (deduplicationId == null) {
            return EntryOutcome.failed(entry.id(), new EngineFailure(SqsError.INVALID_PARAMETER_VALUE,
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"));
        }
        long now = stamp.nowMillis();
        String key = FifoMemory.key(queue.settings, entry.messageGroupId(), deduplicationId);
        DeduplicationRecord original = fifo.duplicateOf(queue, key, now);
        if (original != null) {
            return EntryOutcome.sent(entry.id(), original.messageId(), SequenceNumbers.format(original.seq()));
        }
        String messageId = MessageIds.format(stamp.uniqueBits());
        long seq = append(queue, new StoredMessage(messageId, now, now + queue.settings.delaySeconds() * 1000L, entry.body(),
                entry.messageAttributes(), entry.traceHeader(), entry.messageGroupId(), deduplicationId, null), stamp,
                sizeBytes);
        fifo.rememberSend(queue, key, messageId, seq, now);
        activity.sent(queue.name, sizeBytes);
        stored.accept(entry);
        return EntryOutcome.sent(entry.id(), messageId, SequenceNumbers.format(seq));
    }

    /** Stores a message at the queue's tail; visible at {@code message.firstVisibleAtMillis()}. Returns its sequence number. */
    long append(QueueState queue, StoredMessage message, EntryStamp stamp) {
        return append(queue, message, stamp, (int) MessageSize.of(message.body(), message.messageAttributes()));
    }

    /** {@link #append(QueueState, StoredMessage, EntryStamp)} of a message already sized ({@link MessageSize}). */
    private long append(QueueState queue, StoredMessage message, EntryStamp stamp, int payloadBytes) {
        long nowMillis = stamp.nowMillis();
        long seq = queue.nextSeq(stamp);
        storage.putMessage(queue.id, seq, message);
        queue.index.add(new MessageMeta(seq, message.retainedSinceMillis(), message.firstVisibleAtMillis(), 0, 0, 0,
                payloadBytes), message.messageGroupId(), nowMillis);
        storing(queue, payloadBytes);
        return seq;
    }

    /**
     * A change of {@code queue}'s stored bytes by {@code payloadBytes} in this entry: what it stored so far is billed up
     * to the entry's time first (see {@link UsageKind#STORED_MESSAGE_BYTE_HOURS}).
     */
    void storing(QueueState queue, long payloadBytes) {
        accrue(queue);
        queue.storedBytes += payloadBytes;
    }

    /**
     * Bills {@code queue}'s stored bytes from where they were billed up to until this entry's time, and records the
     * new position in the entry's batch. Once per queue and entry at most (later calls in the entry find it done); a
     * leader time at or before the position (never, as apply keeps time monotonic) bills nothing. A queue closed for a
     * copy to another group is billed there once imported: its time here passes unbilled.
     */
    private void accrue(QueueState queue) {
        // An internal queue is never billed: nothing to keep (its sends and deletes write nothing more).
        if (queue.billedAccount == null || queue.accruedUntilMillis >= entryMillis) {
            return;
        }
        if (queue.accruedUntilMillis != QueueState.NOT_ACCRUED && queue.layout.fence() != QueueLayout.Fence.CLOSED) {
            String account = queue.billedAccount;
            queue.carryByteMillis = ByteHours.accrue(queue.storedBytes, queue.accruedUntilMillis, entryMillis,
                    queue.carryByteMillis, (hour, byteHours) -> ledger.add(account, hour,
                            UsageKind.STORED_MESSAGE_BYTE_HOURS, byteHours));
        }
        queue.accruedUntilMillis = entryMillis;
        storage.putAccrual(queue.id, queue.accruedUntilMillis, queue.carryByteMillis);
    }

    /**
     * The periodic tick: bills every queue that stores bytes up to this entry's time, so that an idle group's past
     * hours are complete too. In name order (deterministic); queues storing nothing have nothing to bill.
     */
    public void accrueAll() {
        for (QueueState queue : queues.values()) {
            if (queue.storedBytes > 0) {
                accrue(queue);
            }
        }
    }

    /**
     * What each of {@code accounts} holds in this group's queues (in the order given; an account without queues here
     * holds nothing). One pass over the queues; readers hold the engine's read lock.
     */
    public List<AccountHolding> holdings(List<String> accounts) {
        Map<String, long[]> sums = new java.util.HashMap<>();
        accounts.forEach(account -> sums.put(account, new long[2]));
        for (QueueState queue : queues.values()) {
            long[] sum = queue.billedAccount == null ? null : sums.get(queue.billedAccount);
            if (sum != null) {
                sum[0] += queue.storedBytes;
                sum[1] += queue.index.inFlightCount();
            }
        }
        List<AccountHolding> holdings = new ArrayList<>(accounts.size());
        for (String account : accounts) {
            long[] sum = sums.get(account);
            holdings.add(new AccountHolding(account, sum[0], sum[1]));
        }
        return holdings;
    }

    /**
     * Whether a queue that stores messages, billed to an account, was billed last before {@code hourMillis}: only then
     * is an hour before it still open (see {@link #accrueAll}). One pass over the queues; readers hold the read lock.
     */
    public boolean billedBefore(long hourMillis) {
        for (QueueState queue : queues.values()) {
            if (queue.storedBytes > 0 && queue.billedAccount != null && queue.layout.fence() != QueueLayout.Fence.CLOSED
                    && queue.accruedUntilMillis < hourMillis) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes up to {@code max} visible messages into flight (see {@link Receives}); a FIFO receive
     * with a {@code receiveRequestAttemptId} (null: none) may repeat an earlier one.
     */
    public List<ReceivedMessage> receive(String name, int max, Integer visibilityTimeoutSeconds,
            String receiveRequestAttemptId, EntryStamp stamp) {
        QueueState queue = requireForMessages(name);
        fifo.prune(stamp.nowMillis());
        List<ReceivedMessage> received = receives.receive(queue, max, visibilityTimeoutSeconds, receiveRequestAttemptId, stamp);
        activity.received(name, received.size());
        return received;
    }

    /**
     * Moves a message to the tail of another queue of this book, keeping its body and attributes
     * (see {@link StoredMessage#movedTo}: a dead letter, {@code sourceArn} its source queue, keeps its
     * id; a redrive, {@code sourceArn} null, is a new message).
     */
    void moveMessage(QueueState from, MessageMeta meta, QueueState to, String sourceArn, EntryStamp stamp) {
        StoredMessage message = storage.readMessage(from.id, meta.seq);
        removeMessage(from, meta);
        countDeadLetter(from, sourceArn);
        String newMessageId = sourceArn == null ? MessageIds.format(stamp.uniqueBits()) : null;
        append(to, message.movedTo(sourceArn, from.settings.fifoQueue(), newMessageId, stamp.nowMillis()), stamp);
        wakeups.queueChanged(to.name);
    }

    /**
     * Takes a message out of {@code from} into the outbox, bound for {@code destinationArn} in another
     * group; the caller checked {@link #outboxHasRoom}. Same message rules as {@link #moveMessage}.
     */
    void transferOut(QueueState from, MessageMeta meta, String destinationArn, String sourceArn, String moveTaskHandle,
            EntryStamp stamp) {
        StoredMessage message = storage.readMessage(from.id, meta.seq);
        removeMessage(from, meta);
        countDeadLetter(from, sourceArn);
        String newMessageId = sourceArn == null ? MessageIds.format(stamp.uniqueBits()) : null;
        outbox.add(new Transfer(stamp.sequence(), from.name, destinationArn, message, sourceArn, from.settings.fifoQueue(),
                newMessageId, stamp.nowMillis(), moveTaskHandle));
    }

    /** A stored message of {@code queue} by sequence number, or null. */
    StoredMessage readMessage(QueueState queue, long seq) {
        return storage.readMessage(queue.id, seq);
    }

    /** Wakes whoever waits on {@code queue} after the apply stored a message there outside a send. */
    void queueChanged(QueueState queue) {
        wakeups.queueChanged(queue.name);
    }

    /**
     * Moves outbox messages of a topic to their subscriptions in one apply (see {@link FanoutApplier}): one outcome per
     * item. {@code billed} is told each sqs delivery stored.
     */
    public List<FanOutItem.Outcome> fanOut(String outbox, List<FanOutItem> items, EntryStamp stamp,
            java.util.function.Consumer<SendEntry> billed) {
        QueueState queue = requireForMessages(outbox);
        fifo.prune(stamp.nowMillis());
        return new FanoutApplier(this, stamp, billed).apply(queue, items);
    }

    /** A move with a source ARN is a dead letter leaving its queue; a redrive or move task has none. */
    private void countDeadLetter(QueueState from, String sourceArn) {
        if (sourceArn != null) {
            activity.deadLettered(from.name);
        }
    }

    boolean outboxHasRoom() {
        return outbox.hasRoom();
    }

    /** Whether messages of {@code from} are still in the outbox on their way to {@code destinationArn}. */
    boolean outboxHolds(QueueState from, String destinationArn) {
        return outbox.holds(from.name, destinationArn);
    }

    /** This group's pending transfers to other groups (readers hold the engine's read lock). */
    public TransferOutbox transfers() {
        return outbox;
    }

    /** Imports messages transferred from other groups (see {@link TransferInbox}). */
    public List<TransferImport.Outcome> importTransfers(List<TransferImport> imports, EntryStamp stamp) {
        for (TransferImport item : imports) {
            // Before anything changes: a closed queue's copy would miss the message; its sender retries where it moved.
            QueueState queue = byArn(item.destinationArn());
            if (queue != null) {
                requireForMessages(queue.name);
            }
        }
        Map<String, ReadyMark> before = new java.util.LinkedHashMap<>();
        for (TransferImport item : imports) {
            QueueState queue = byArn(item.destinationArn());
            if (queue != null) {
                before.computeIfAbsent(queue.name, name -> ReadyMark.of(this, name));
            }
        }
        List<TransferImport.Outcome> outcomes = inbox.accept(this, imports, stamp);
        before.values().forEach(mark -> mark.tell(this, wakeups));
        return outcomes;
    }

    /** Stores one page of a queue migrated from another group (see {@link QueueStateImport}); returns the messages stored. */
    public int importState(String name, QueueExport page, EntryStamp stamp) {
        QueueState queue = require(name);
        accrue(queue);
        int stored = QueueStateImport.apply(queue, page, fifo, storage, stamp);
        wakeups.queueChanged(name);
        return stored;
    }

    /**
     * One page of the queue's whole state for its migration to another group (see {@link QueueExporter}); readers
     * hold the engine's read lock. {@code readMessage} reads a stored message of this queue by sequence number.
     */
    public QueueExport exportState(String name, QueueExport.Position from, int maxBytes, long nowMillis, long floorHint,
            java.util.function.LongFunction<StoredMessage> readMessage) {
        QueueState queue = require(name);
        if (queue.layout.fence() != QueueLayout.Fence.CLOSED) {
            // Only a closed queue stands still: a copy of a queue that still changes would miss what changed.
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue " + name + " is not closed; only a closed queue is exported.");
        }
        return QueueExporter.page(queue, queueIds(queue), fifo, from, maxBytes, nowMillis, floorHint, readMessage);
    }

    /**
     * Up to {@code limit} of the queue's oldest messages (in send order) as they stand at {@code nowMillis}, changing
     * nothing: the console's peek. Reads the index and storage only, so it answers the same on every replica.
     */
    public List<PeekedMessage> peek(String name, int limit, long nowMillis, java.util.function.LongFunction<StoredMessage> readMessage) {
        List<PeekedMessage> peeked = new ArrayList<>();
        for (MessageMeta meta : require(name).index.oldest(limit)) {
            peeked.add(new PeekedMessage(meta.seq, readMessage.apply(meta.seq), meta.receiveCount, meta.visibleAtMillis,
                    PeekedMessage.stateAt(meta.visibleAtMillis, meta.receiveCount, nowMillis)));
        }
        return peeked;
    }

    /** The queue's id in this group, under which its messages are stored. */
    public long queueId(String name) {
        return require(name).id;
    }

    private static List<Long> queueIds(QueueState queue) {
        List<Long> ids = new ArrayList<>();
        ids.add(queue.id);
        ids.addAll(queue.lineage.formerIds());
        return ids;
    }

    /**
     * Settles transfers the worker delivered: {@code delivered} are in their destination and leave the
     * outbox; {@code returned} found no destination queue and go back to the tail of the queue they
     * left (nothing is lost; a move task that moved one fails, as it does when a local destination is
     * missing). A transfer whose origin queue is gone too is dropped: no queue is left to hold it.
     * Seqs no longer pending (settled before) are ignored. Returns how many went back.
     */
    public int settleTransfers(List<Long> delivered, List<Long> returned, EntryStamp stamp) {
        delivered.forEach(outbox::remove);
        int back = 0;
        for (long seq : returned) {
            Transfer transfer = outbox.remove(seq);
            if (transfer == null) {
                continue;
            }
            if (transfer.moveTaskHandle() != null) {
                moveTasks.failRemote(transfer.moveTaskHandle(), "The destination queue " + transfer.destinationArn()
                        + " does not exist.");
            }
            QueueState origin = queues.get(transfer.originQueue());
            if (origin != null) {
                append(origin, transfer.original(), stamp);
                wakeups.queueChanged(origin.name);
                back++;
            }
        }
        return back;
    }

    void removeMessage(QueueState queue, MessageMeta meta) {
        storing(queue, -meta.payloadBytes);
        queue.index.remove(meta);
        storage.deleteMessage(queue.id, meta.seq);
    }

    /**
     * Deletes received messages. As in SQS, a handle of a message already deleted succeeds, and a
     * handle older than the message's latest receive succeeds without deleting it.
     */
    public List<EntryOutcome> delete(String name, List<HandleEntry> entries) {
        return delete(name, entries, null);
    }

    /**
     * As {@link #delete(String, List)}, telling {@code removed} (when not null) each entry that removed its message,
     * with the message as stored, before it goes.
     */
    public List<EntryOutcome> delete(String name, List<HandleEntry> entries,
            java.util.function.BiConsumer<HandleEntry, StoredMessage> removed) {
        QueueState queue = requireForMessages(name);
        List<EntryOutcome> outcomes = new ArrayList<>(entries.size());
        boolean deleted = false;
        for (HandleEntry entry : entries) {
            ReceiptHandle handle = ReceiptHandle.decode(entry.receiptHandle()).orElse(null);
            if (handle == null || !queue.answersTo(handle.queueId())) {
                outcomes.add(EntryOutcome.failed(entry.id(), new EngineFailure(SqsError.RECEIPT_HANDLE_IS_INVALID,
                        "The input receipt handle \"" + entry.receiptHandle() + "\" is not a valid receipt handle.")));
                continue;
            }
            MessageMeta meta = queue.index.get(handle.seq());
            if (meta != null && meta.receivedWith(handle.nonce())) {
                if (removed != null) {
                    StoredMessage message = storage.readMessage(queue.id, meta.seq);
                    if (message != null) {
                        removed.accept(entry, message);
                    }
                }
                removeMessage(queue, meta);
                deleted = true;
            }
            activity.deleted(name);
            outcomes.add(EntryOutcome.ok(entry.id(), null));
        }
        if (deleted && queue.settings.fifoQueue()) {
            // The group of a deleted message may be receivable now.
            wakeups.queueChanged(name);
        }
        return outcomes;
    }

    /** Sets new visibility deadlines counted from now; 0 makes the message visible at once. */
    public List<EntryOutcome> changeVisibility(String name, List<VisibilityChange> entries, EntryStamp stamp) {
        QueueState queue = requireForMessages(name);
        long now = stamp.nowMillis();
        queue.index.promote(now);
        List<EntryOutcome> outcomes = new ArrayList<>(entries.size());
        boolean madeVisible = false;
        for (VisibilityChange entry : entries) {
            ReceiptHandle handle = ReceiptHandle.decode(entry.receiptHandle()).orElse(null);
            if (handle == null || !queue.answersTo(handle.queueId())) {
                outcomes.add(EntryOutcome.failed(entry.id(), new EngineFailure(SqsError.RECEIPT_HANDLE_IS_INVALID,
                        "The input receipt handle \"" + entry.receiptHandle() + "\" is not a valid receipt handle.")));
                continue;
            }
            MessageMeta meta = queue.index.get(handle.seq());
            if (meta == null || !meta.receivedWith(handle.nonce())) {
                outcomes.add(EntryOutcome.failed(entry.id(), new EngineFailure(SqsError.INVALID_PARAMETER_VALUE,
                        "Value " + entry.receiptHandle() + " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.")));
                continue;
            }
            if (!queue.index.isInFlight(meta)) {
                outcomes.add(EntryOutcome.failed(entry.id(), EngineFailure.of(SqsError.MESSAGE_NOT_INFLIGHT)));
                continue;
            }
            long visibleAt = now + entry.visibilityTimeoutSeconds() * 1000L;
            queue.index.changeVisibility(meta, now, visibleAt);
            storage.putDelivery(queue.id, meta.seq, meta);
            madeVisible |= visibleAt <= now;
            outcomes.add(EntryOutcome.ok(entry.id(), null));
        }
        if (madeVisible) {
            wakeups.queueChanged(name);
        }
        return outcomes;
    }

    public void purge(String name, EntryStamp stamp) {
        QueueState queue = requireForMessages(name);
        long now = stamp.nowMillis();
        if (queue.lastPurgeMillis != 0 && now - queue.lastPurgeMillis < PURGE_INTERVAL_MILLIS) {
            throw SqsError.PURGE_QUEUE_IN_PROGRESS.exception("Only one PurgeQueue operation on " + name
                    + " is allowed every 60 seconds.");
        }
        storing(queue, -queue.storedBytes);
        queue.index.clear(seq -> storage.deleteMessage(queue.id, seq));
        queue.lastPurgeMillis = now;
        storage.putQueue(queue.record(codec));
    }

    // ---- move tasks ----

    public MoveTasks moveTasks() {
        return moveTasks;
    }

    // ---- reads (callers hold the engine's read lock) ----

    /** Whether the queue remembers deduplication ids still live at {@code nowMillis} (sends within the interval). */
    public boolean remembersDeduplication(String name, long nowMillis) {
        return fifo.remembersSends(require(name), nowMillis);
    }

    public boolean exists(String name) {
        return queues.containsKey(name);
    }

    /**
     * The Policy of queue {@code name}, empty for a queue without one or a missing queue: what {@link #settings} holds.
     * The one read of the book that any thread may make without the engine's lock (see {@link PublishedPolicies}).
     */
    public Optional<String> policyOf(String name) {
        return policies.of(name);
    }

    public QueueSettings settings(String name) {
        return require(name).settings;
    }

    /** GetQueueAttributes: rendered settings plus the dynamic values, filtered by the requested names. */
    public Map<String, String> attributes(String name, List<String> requested, long nowMillis) {
        QueueState queue = require(name);
        QueueIndex index = queue.index;
        Map<String, String> dynamic = new TreeMap<>();
        dynamic.put("ApproximateNumberOfMessages", Integer.toString(index.visibleCount(nowMillis)));
        dynamic.put("ApproximateNumberOfMessagesNotVisible", Integer.toString(index.inFlightCount(nowMillis)));
        dynamic.put("ApproximateNumberOfMessagesDelayed", Integer.toString(index.delayedCount(nowMillis)));
        dynamic.put("CreatedTimestamp", Long.toString(queue.createdMillis / 1000));
        dynamic.put("LastModifiedTimestamp", Long.toString(queue.modifiedMillis / 1000));
        dynamic.put("QueueArn", queue.arn);
        return codec.select(queue.settings, dynamic, requested);
    }

    public SortedMap<String, String> tags(String name) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(require(name).tags));
    }

    /** Every queue's backlog at {@code nowMillis}, in name order, internal queues included (for the per-queue meters). */
    public List<QueueDepth> depths(long nowMillis) {
        List<QueueDepth> depths = new ArrayList<>(queues.size());
        for (QueueState queue : queues.values()) {
            depths.add(depthOf(queue, nowMillis));
        }
        return depths;
    }

    /** The backlog of each of {@code names} this book holds at {@code nowMillis}, in the order asked; others left out. */
    public List<QueueDepth> depths(List<String> names, long nowMillis) {
        List<QueueDepth> depths = new ArrayList<>(names.size());
        for (String name : names) {
            QueueState queue = queues.get(name);
            if (queue != null) {
                depths.add(depthOf(queue, nowMillis));
            }
        }
        return depths;
    }

    private static QueueDepth depthOf(QueueState queue, long nowMillis) {
        QueueIndex index = queue.index;
        long oldest = index.oldestRetainedSinceMillis();
        return new QueueDepth(queue.name, index.visibleCount(nowMillis), index.inFlightCount(nowMillis),
                index.delayedCount(nowMillis), oldest < 0 ? 0 : Math.max(0, nowMillis - oldest));
    }

    /** Queues in this book, internal ones included: the group's load as the operators' cluster view shows it. */
    public int queueCount() {
        return queues.size();
    }

    /** Queue names with the prefix, after {@code startAfter} (exclusive, null from the first), at most {@code limit}. */
    public List<String> names(String prefix, String startAfter, int limit) {
        String from = prefix == null ? "" : prefix;
        if (startAfter != null && startAfter.compareTo(from) >= 0) {
            from = startAfter + '\0';
        }
        List<String> names = new ArrayList<>();
        for (String name : queues.tailMap(from, true).keySet()) {
            if (names.size() == limit || (prefix != null && !name.startsWith(prefix))) {
                break;
            }
            names.add(name);
        }
        return names;
    }

    /** Names of queues whose redrive policy targets {@code name}. */
    public List<String> deadLetterSources(String name) {
        require(name);
        return deadLetterSourcesOf(name);
    }

    /** Names of this book's queues whose redrive policy targets the queue {@code name}, which may live in another group. */
    public List<String> deadLetterSourcesOf(String name) {
        String arn = arnOf(name);
        List<String> sources = new ArrayList<>();
        for (QueueState queue : queues.values()) {
            if (queue.settings.redrivePolicy() != null && arn.equals(queue.settings.redrivePolicy().deadLetterTargetArn())) {
                sources.add(queue.name);
            }
        }
        return sources;
    }

    /**
     * What a receive could take now (ready messages; of a FIFO queue, receivable groups), and when
     * the next hidden message appears: for long polls waiting on this replica.
     */
    public long receivableCount(String name) {
        QueueState queue = queues.get(name);
        if (queue == null || (queue.settings.fifoQueue() && queue.index.inFlightCount() >= limits.maxInFlightFifo())) {
            return 0; // a FIFO queue at its in-flight limit gives nothing until a message is deleted or visible again
        }
        return queue.index.receivableCount();
    }

    /**
     * Whether a receive proposed at {@code nowMillis} would surely find nothing and change nothing: the queue exists
     * here, takes message actions, has no message ready and none whose delay or visibility timeout has passed (those
     * become ready only when a receive is applied). A missing or closed queue is not idle: the receive must be
     * proposed to get its error (or be moved on by the router).
     */
    public boolean idle(String name, long nowMillis) {
        QueueState queue = queues.get(name);
        return queue != null && queue.layout.takesMessageActions() && receivableCount(name) == 0
                && queue.index.nextVisibleAtMillis() > nowMillis;
    }

    public long nextVisibleAtMillis(String name) {
        QueueState queue = queues.get(name);
        return queue == null ? Long.MAX_VALUE : queue.index.nextVisibleAtMillis();
    }

    // ---- helpers ----

    QueueState require(String name) {
        QueueState queue = queues.get(name);
        if (queue == null) {
            throw SqsError.QUEUE_DOES_NOT_EXIST.exception();
        }
        return queue;
    }

    /**
     * A queue whose messages, settings or tags may change: any but a closed one. A closed queue is being copied to
     * another group (a FIFO queue's migration): a change here would be missed by the copy, so it is refused with
     * QueueMoved and the router retries it where the queue moved. Reads (attributes, tags) still work.
     */
    QueueState requireForMessages(String name) {
        QueueState queue = require(name);
        if (!queue.layout.takesMessageActions()) {
            throw queueMoved(name, "is closed");
        }
        return queue;
    }

    /**
     * The whole send is refused, before anything changes, when the queue takes no sends (a migration's source) or a
     * message group belongs in another partition: the sender routed by a stale placement and sends again once it
     * re-read it. The whole batch, so that a FIFO batch is never stored in part and then partly again elsewhere.
     */
    private static void checkSends(QueueState queue, List<SendEntry> entries) {
        if (!queue.layout.takesSends()) {
            throw queueMoved(queue.name, "takes no sends");
        }
        for (SendEntry entry : entries) {
            if (!queue.layout.holds(entry.messageGroupId())) {
                throw queueMoved(queue.name, "partition " + queue.layout.partitionIndex() + " of "
                        + queue.layout.partitionCount() + " does not hold message group " + entry.messageGroupId());
            }
        }
    }

    private static SqsException queueMoved(String name, String why) {
        return SqsError.QUEUE_MOVED.exception("The queue " + name + " in this group " + why + "; its placement changed.");
    }

    QueueState byArn(String arn) {
        String name = nameOfArn(arn, accountId);
        QueueState queue = name == null ? null : queues.get(name);
        return queue != null && queue.arn.equals(arn) ? queue : null;
    }

    private QueueState byId(long id) {
        return queuesById.get(id);
    }

    private void register(QueueState queue) {
        queues.put(queue.name, queue);
        policies.publish(queue.name, queue.settings);
        queuesById.put(queue.id, queue);
    }

    /** The ARN of the queue of qualified name {@code name} ({@link QueueUrl#qualifiedName}): its owner's account. */
    public String arnOf(String name) {
        return QueueUrl.ofQualified(name, accountId).toArn(region);
    }

    /**
     * The qualified queue name ({@link QueueUrl#qualifiedName}) an SQS ARN names, its account included, or null
     * when it names none.
     */
    public static String nameOfArn(String arn, String defaultAccount) {
        return QueueUrl.ofArn(arn).map(url -> url.qualifiedName(defaultAccount)).orElse(null);
    }
}
