package dev.sluice.broker.codec;

import dev.sluice.broker.core.DeduplicationRecord;
import dev.sluice.broker.core.ImportedTransfer;
import dev.sluice.broker.core.MessageMeta;
import dev.sluice.broker.core.MoveTask;
import dev.sluice.broker.core.QueueLayout;
import dev.sluice.broker.core.QueueLineage;
import dev.sluice.broker.core.QueueRecord;
import dev.sluice.broker.core.ReceiveAttempt;
import dev.sluice.broker.core.StoredMessage;
import dev.sluice.broker.core.Transfer;
import dev.sluice.clientsdk.MessageSize;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import dev.sluice.raftstore.codec.CorruptFrameException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Values stored in RocksDB, each prefixed by a format version so that a later release can read old data. */
public final class StoredRecordCodec {
    private static final int VERSION = 1;
    /** The move-task record's second version: with the across-groups flag. */
    private static final int MOVE_TASK_ACROSS_GROUPS = 2;
    /** The queue record's second version: with its layout (fence and partition). */
    private static final int QUEUE_WITH_LAYOUT = 2;

    private StoredRecordCodec() {
    }

    public static byte[] encodeMessage(StoredMessage message) {
        BinaryWriter out = new BinaryWriter(1 + messageBytes(message)).putByte(VERSION);
        putMessage(out, message);
        return out.toByteArray();
    }

    public static StoredMessage decodeMessage(byte[] bytes) {
        return getMessage(versioned(bytes));
    }

    /** A message's fields, as stored and as transfer commands carry them. */
    static void putMessage(BinaryWriter out, StoredMessage message) {
        out.putString(message.messageId()).putLong(message.sentMillis()).putLong(message.firstVisibleAtMillis())
                .putString(message.body());
        Fields.putAttributes(out, message.messageAttributes());
        out.putString(message.traceHeader()).putString(message.messageGroupId())
                .putString(message.messageDeduplicationId()).putString(message.deadLetterSourceArn());
    }

    /** Exactly the bytes {@link #putMessage} writes, so that a stored message is encoded without a copy. */
    static int messageBytes(StoredMessage message) {
        return BinaryWriter.stringBytes(message.messageId()) + 16 + BinaryWriter.stringBytes(message.body())
                + Fields.attributesBytes(message.messageAttributes()) + BinaryWriter.stringBytes(message.traceHeader())
                + BinaryWriter.stringBytes(message.messageGroupId())
                + BinaryWriter.stringBytes(message.messageDeduplicationId())
                + BinaryWriter.stringBytes(message.deadLetterSourceArn());
    }

    static StoredMessage getMessage(BinaryReader in) {
        return new StoredMessage(in.getString(), in.getLong(), in.getLong(), in.getString(), Fields.getAttributes(in),
                in.getString(), in.getString(), in.getString(), in.getString());
    }

    public static byte[] encodeTransfer(Transfer transfer) {
        BinaryWriter out = new BinaryWriter(transfer.original().body().length() + 256).putByte(VERSION)
                .putLong(transfer.seq()).putString(transfer.originQueue()).putString(transfer.destinationArn());
        putMessage(out, transfer.original());
        return out.putString(transfer.deadLetterSourceArn()).putBoolean(transfer.originFifo())
                .putString(transfer.newMessageId()).putLong(transfer.movedAtMillis()).putString(transfer.moveTaskHandle())
                .toByteArray();
    }

    public static Transfer decodeTransfer(byte[] bytes) {
        BinaryReader in = versioned(bytes);
        return new Transfer(in.getLong(), in.getString(), in.getString(), getMessage(in), in.getString(), in.getBoolean(),
                in.getString(), in.getLong(), in.getString());
    }

    public static byte[] encodeImportedTransfer(ImportedTransfer record) {
        return new BinaryWriter(16).putByte(VERSION).putLong(record.expiresAtMillis()).toByteArray();
    }

    public static ImportedTransfer decodeImportedTransfer(byte[] bytes) {
        return new ImportedTransfer(versioned(bytes).getLong());
    }

    public static byte[] encodeDelivery(MessageMeta meta) {
        return new BinaryWriter(40).putByte(VERSION).putInt(meta.receiveCount()).putLong(meta.firstReceiveMillis())
                .putLong(meta.visibleAtMillis()).putLong(meta.receiptNonce()).toByteArray();
    }

    /** What recovery indexes of a stored message: its state and its FIFO group. */
    public record IndexedMessage(MessageMeta meta, String messageGroupId) {
    }

    /**
     * Rebuilds the in-memory state of a message from its stored record and its delivery state (null if never
     * received), stepping over the body, attributes and the other fields
     * the index does not hold: a restart reads every queued message this way, so it costs no body's decoding.
     */
    public static IndexedMessage decodeIndexed(long seq, byte[] stored, byte[] delivery) {
        BinaryReader in = versioned(stored);
        in.skipBytes(); // message id
        long sentMillis = in.getLong();
        long firstVisibleAtMillis = in.getLong();
        int payloadBytes = payloadBytes(in);
        in.skipBytes(); // trace header
        String messageGroupId = in.getString();
        in.skipBytes(); // deduplication id
        String deadLetterSourceArn = in.getString();
        long retainedSinceMillis = StoredMessage.retainedSince(sentMillis, firstVisibleAtMillis, deadLetterSourceArn);
        return new IndexedMessage(meta(seq, retainedSinceMillis, firstVisibleAtMillis, delivery, payloadBytes), messageGroupId);
    }

    /**
     * Steps over a stored body and its attributes, answering their size as {@link MessageSize#of} counts it, from the
     * stored lengths alone: strings are stored as UTF-8, and every string apply stores was itself decoded from UTF-8
     * (the log), so its UTF-8 length is its stored length. Only a body as long as the raw-body placeholder, or an
     * attribute named like the raw body, is compared byte by byte.
     */
    private static int payloadBytes(BinaryReader in) {
        java.nio.ByteBuffer body = in.getBytesView();
        boolean placeholder = body.equals(RAW_BODY_PLACEHOLDER);
        long size = 0;
        long rawBody = -1;
        int attributes = in.getInt();
        for (int i = 0; i < attributes; i++) {
            java.nio.ByteBuffer name = in.getBytesView();
            int dataType = in.skipBytes();
            int stringValue = in.skipBytes();
            int binaryValue = in.skipBytes();
            if (placeholder && rawBody < 0 && binaryValue >= 0 && name.equals(RAW_BODY_ATTRIBUTE)) {
                rawBody = binaryValue;
                continue;
            }
            size += name.remaining() + Math.max(0, dataType) + (stringValue >= 0 ? stringValue : Math.max(0, binaryValue));
        }
        return (int) (size + (rawBody >= 0 ? rawBody : body.remaining()));
    }

    private static final java.nio.ByteBuffer RAW_BODY_PLACEHOLDER = java.nio.ByteBuffer.wrap(
            MessageSize.RAW_BODY_PLACEHOLDER.getBytes(java.nio.charset.StandardCharsets.UTF_8)).asReadOnlyBuffer();
    private static final java.nio.ByteBuffer RAW_BODY_ATTRIBUTE = java.nio.ByteBuffer.wrap(
            MessageSize.RAW_BODY_ATTRIBUTE.getBytes(java.nio.charset.StandardCharsets.UTF_8)).asReadOnlyBuffer();

    private static MessageMeta meta(long seq, long retainedSinceMillis, long firstVisibleAtMillis, byte[] delivery,
            int payloadBytes) {
        if (delivery == null) {
            return new MessageMeta(seq, retainedSinceMillis, firstVisibleAtMillis, 0, 0, 0, payloadBytes);
        }
        BinaryReader in = versioned(delivery);
        int receiveCount = in.getInt();
        long firstReceive = in.getLong();
        long visibleAt = in.getLong();
        return new MessageMeta(seq, retainedSinceMillis, visibleAt, receiveCount, firstReceive, in.getLong(), payloadBytes);
    }

    /** A queue's billing position: up to when its stored bytes are billed and the byte-milliseconds carried. */
    public static byte[] encodeAccrual(long accruedUntilMillis, long carryByteMillis) {
        return new BinaryWriter(17).putByte(VERSION).putLong(accruedUntilMillis).putLong(carryByteMillis).toByteArray();
    }

    /** {@link #encodeAccrual}'s two fields, in order. */
    public static long[] decodeAccrual(byte[] bytes) {
        BinaryReader in = versioned(bytes);
        return new long[] {in.getLong(), in.getLong()};
    }

    public static byte[] encodeDeduplication(DeduplicationRecord record) {
        return new BinaryWriter(64).putByte(VERSION).putString(record.messageId()).putLong(record.seq())
                .putLong(record.expiresAtMillis()).toByteArray();
    }

    public static DeduplicationRecord decodeDeduplication(byte[] bytes) {
        BinaryReader in = versioned(bytes);
        return new DeduplicationRecord(in.getString(), in.getLong(), in.getLong());
    }

    public static byte[] encodeReceiveAttempt(ReceiveAttempt attempt) {
        BinaryWriter out = new BinaryWriter(16 + 24 * attempt.deliveries().size()).putByte(VERSION)
                .putLong(attempt.expiresAtMillis()).putInt(attempt.deliveries().size());
        attempt.deliveries().forEach(delivery -> out.putLong(delivery.seq()).putLong(delivery.receiptNonce())
                .putLong(delivery.visibleAtMillis()));
        return out.toByteArray();
    }

    public static ReceiveAttempt decodeReceiveAttempt(byte[] bytes) {
        BinaryReader in = versioned(bytes);
        long expiresAt = in.getLong();
        int count = in.getInt();
        List<ReceiveAttempt.Delivery> deliveries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            deliveries.add(new ReceiveAttempt.Delivery(in.getLong(), in.getLong(), in.getLong()));
        }
        return new ReceiveAttempt(expiresAt, deliveries);
    }

    /**
     * A queue: version 1 as ever for a queue with the open layout; version 2 appends the layout (fence code, partition
     * index, partition count), so records written before layouts existed read as they were and an open queue is still
     * stored in the format every earlier release reads.
     */
    public static byte[] encodeQueue(QueueRecord record) {
        boolean laidOut = !record.layout().equals(QueueLayout.OPEN);
        BinaryWriter out = new BinaryWriter(256).putByte(laidOut ? QUEUE_WITH_LAYOUT : VERSION).putLong(record.id())
                .putString(record.name());
        Fields.putStringMap(out, record.attributes());
        Fields.putStringMap(out, record.tags());
        out.putLong(record.createdMillis()).putLong(record.modifiedMillis()).putLong(record.lastPurgeMillis());
        if (laidOut) {
            out.putByte(record.layout().fence().code()).putInt(record.layout().partitionIndex())
                    .putInt(record.layout().partitionCount());
        }
        return out.toByteArray();
    }

    public static QueueRecord decodeQueue(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.getByte();
        if (version != VERSION && version != QUEUE_WITH_LAYOUT) {
            throw new CorruptFrameException("unknown stored queue version " + version);
        }
        QueueRecord record = new QueueRecord(in.getLong(), in.getString(), Fields.getStringMap(in),
                new TreeMap<>(Fields.getStringMap(in)), in.getLong(), in.getLong(), in.getLong());
        if (version == VERSION) {
            return record;
        }
        QueueLayout layout = layout(in.getByte(), in.getInt(), in.getInt());
        return new QueueRecord(record.id(), record.name(), record.attributes(), record.tags(), record.createdMillis(),
                record.modifiedMillis(), record.lastPurgeMillis(), layout);
    }

    /** A layout as stored or logged; an unknown fence code or impossible partition is corruption, never a guess. */
    static QueueLayout layout(int fenceCode, int partitionIndex, int partitionCount) {
        QueueLayout.Fence fence = QueueLayout.Fence.ofCode(fenceCode);
        if (fence == null) {
            throw new CorruptFrameException("unknown queue fence " + fenceCode);
        }
        try {
            return new QueueLayout(fence, partitionIndex, partitionCount);
        } catch (IllegalArgumentException impossible) {
            throw new CorruptFrameException("impossible queue layout: " + impossible.getMessage());
        }
    }

    public static byte[] encodeLineage(QueueLineage lineage) {
        BinaryWriter out = new BinaryWriter(32 + 8 * lineage.formerIds().size()).putByte(VERSION)
                .putInt(lineage.formerIds().size());
        lineage.formerIds().forEach(out::putLong);
        return out.putLong(lineage.sequenceOffset()).putBoolean(lineage.sealed()).toByteArray();
    }

    public static QueueLineage decodeLineage(byte[] bytes) {
        BinaryReader in = versioned(bytes);
        int count = in.getInt();
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(in.getLong());
        }
        return new QueueLineage(ids, in.getLong(), in.getBoolean());
    }

    /**
     * A move task: version 1 as ever for a task within one group; version 2 appends the
     * across-groups flag, so records written before it read as they were.
     */
    public static byte[] encodeMoveTask(MoveTask task) {
        BinaryWriter out = new BinaryWriter(128).putByte(task.acrossGroups() ? MOVE_TASK_ACROSS_GROUPS : VERSION);
        putMoveTask(out, task);
        if (task.acrossGroups()) {
            out.putBoolean(true);
        }
        return out.toByteArray();
    }

    public static MoveTask decodeMoveTask(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.getByte();
        if (version != VERSION && version != MOVE_TASK_ACROSS_GROUPS) {
            throw new CorruptFrameException("unknown stored move task version " + version);
        }
        MoveTask task = getMoveTask(in);
        if (version == MOVE_TASK_ACROSS_GROUPS && in.getBoolean()) {
            return new MoveTask(task.handle(), task.sourceArn(), task.destinationArn(), task.maxMessagesPerSecond(),
                    task.movedCount(), task.toMoveCount(), task.status(), task.failureReason(), task.startedMillis(), true);
        }
        return task;
    }

    static void putMoveTask(BinaryWriter out, MoveTask task) {
        out.putString(task.handle()).putString(task.sourceArn()).putString(task.destinationArn())
                .putInt(task.maxMessagesPerSecond()).putLong(task.movedCount()).putLong(task.toMoveCount())
                .putString(task.status()).putString(task.failureReason()).putLong(task.startedMillis());
    }

    static MoveTask getMoveTask(BinaryReader in) {
        return new MoveTask(in.getString(), in.getString(), in.getString(), in.getInt(), in.getLong(), in.getLong(),
                in.getString(), in.getString(), in.getLong());
    }

    private static BinaryReader versioned(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int version = in.getByte();
        if (version != VERSION) {
            throw new CorruptFrameException("unknown stored record version " + version);
        }
        return in;
    }
}
