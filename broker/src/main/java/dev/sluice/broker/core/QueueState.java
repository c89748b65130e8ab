package dev.sluice.broker.core;

import java.util.SortedMap;
import java.util.TreeMap;

/** One queue in memory: its settings, metadata and message index. Owned by the apply thread. */
final class QueueState {
    final long id;
    final String name;
    final String arn;
    QueueSettings settings;
    final SortedMap<String, String> tags;
    final long createdMillis;
    long modifiedMillis;
    long lastPurgeMillis;
    /** Changed only by SetQueueLayout; checked by every message action (see {@link QueueLayout}). */
    QueueLayout layout = QueueLayout.OPEN;
    final QueueIndex index;
    /** Where the queue came from, if it was migrated into this group (see {@link QueueLineage}). */
    QueueLineage lineage = QueueLineage.NONE;
    /** The account its stored bytes are billed to (see {@link UsageMeter#accountOf}); null: nobody (an internal queue). */
    final String billedAccount;
    /** The payload bytes of every message it holds (see {@link MessageMeta#payloadBytes}). */
    long storedBytes;
    /** The leader time up to which {@link #storedBytes} are billed; {@link #NOT_ACCRUED}: not yet (nothing stored). */
    long accruedUntilMillis = NOT_ACCRUED;
    /** Byte-milliseconds billed below one byte-hour, carried into the next accrual (see {@link ByteHours}). */
    long carryByteMillis;

    static final long NOT_ACCRUED = Long.MIN_VALUE;

    QueueState(long id, String name, String arn, QueueSettings settings, SortedMap<String, String> tags,
            long createdMillis, long modifiedMillis, long lastPurgeMillis, String billedAccount) {
        this.id = id;
        this.billedAccount = billedAccount;
        this.name = name;
        this.arn = arn;
        this.settings = settings;
        this.index = new QueueIndex(settings.fifoQueue());
        this.tags = new TreeMap<>(tags);
        this.createdMillis = createdMillis;
        this.modifiedMillis = modifiedMillis;
        this.lastPurgeMillis = lastPurgeMillis;
    }

    /** Whether a receipt handle naming {@code queueId} is this queue's: its own id, or one it had in a group it left. */
    boolean answersTo(long queueId) {
        return queueId == id || lineage.named(queueId);
    }

    /** The sequence number of a message stored now: above every one the queue had in the groups it came from. */
    long nextSeq(EntryStamp stamp) {
        return stamp.sequence() + lineage.sequenceOffset();
    }

    QueueRecord record(QueueAttributeCodec codec) {
        return new QueueRecord(id, name, codec.render(settings), tags, createdMillis, modifiedMillis, lastPurgeMillis, layout);
    }
}
