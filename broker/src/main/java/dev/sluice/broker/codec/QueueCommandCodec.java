package dev.sluice.broker.codec;

import dev.sluice.broker.core.FanOutItem;
import dev.sluice.broker.core.HandleEntry;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueCommand.CancelMoveTask;
import dev.sluice.broker.core.QueueCommand.ChangeVisibility;
import dev.sluice.broker.core.QueueCommand.CreateQueue;
import dev.sluice.broker.core.QueueCommand.Delete;
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
import dev.sluice.broker.core.QueueCommand.ImportTransfers;
import dev.sluice.broker.core.QueueCommand.SettleTransfers;
import dev.sluice.broker.core.QueueCommand.StartMoveTaskAcrossGroups;
import dev.sluice.broker.core.QueueCommandType;
import dev.sluice.broker.core.RemoteQueue;
import dev.sluice.broker.core.TransferImport;
import dev.sluice.broker.core.SendEntry;
import dev.sluice.broker.core.VisibilityChange;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import dev.sluice.raftstore.codec.CommandFrame;
import dev.sluice.raftstore.codec.CorruptFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Queue commands to and from their log frames: {@code [formatVersion][typeCode][fields]}, type codes from {@link QueueCommandType}, big-endian,
 * length-prefixed. Golden files under src/test/resources/golden/commands hold the format still.
 */
public final class QueueCommandCodec {
    private QueueCommandCodec() {
    }

    public static byte[] encode(QueueCommand command) {
        BinaryWriter out = command instanceof Send send ? CommandFrame.writer(command.type().code(), sendBytes(send))
                : CommandFrame.writer(command.type().code());
        return switch (command.type()) {
            case CREATE_QUEUE, CREATE_QUEUE_WITH_REMOTE_DEAD_LETTER_QUEUE -> {
                CreateQueue c = (CreateQueue) command;
                out.putString(c.name());
                Fields.putStringMap(out, c.attributes());
                Fields.putStringMap(out, c.tags());
                if (c.remoteDeadLetterQueue() != null) {
                    putRemoteQueue(out, c.remoteDeadLetterQueue());
                }
                yield out.toByteArray();
            }
            case DELETE_QUEUE -> out.putString(((DeleteQueue) command).name()).toByteArray();
            case SET_ATTRIBUTES, SET_ATTRIBUTES_WITH_REMOTE_DEAD_LETTER_QUEUE -> {
                SetAttributes c = (SetAttributes) command;
                Fields.putStringMap(out.putString(c.name()), c.attributes());
                if (c.remoteDeadLetterQueue() != null) {
                    putRemoteQueue(out, c.remoteDeadLetterQueue());
                }
                yield out.toByteArray();
            }
            case TAG_QUEUE -> {
                TagQueue c = (TagQueue) command;
                Fields.putStringMap(out.putString(c.name()), c.tags());
                yield out.putInt(c.maxTags()).toByteArray();
            }
            case UNTAG_QUEUE -> {
                UntagQueue c = (UntagQueue) command;
                Fields.putStrings(out.putString(c.name()), c.keys());
                yield out.toByteArray();
            }
            case SEND, SEND_SQS_DELIVERIES -> encodeSend(out, (Send) command);
            case RECEIVE, RECEIVE_WITH_ATTEMPT -> {
                Receive c = (Receive) command;
                Fields.putOptionalInt(out.putString(c.name()).putInt(c.maxMessages()), c.visibilityTimeoutSeconds());
                if (c.receiveRequestAttemptId() != null) {
                    out.putString(c.receiveRequestAttemptId());
                }
                yield out.toByteArray();
            }
            case DELETE, DELETE_BILLING_INVOCATION -> {
                Delete c = (Delete) command;
                out.putString(c.name()).putInt(c.entries().size());
                c.entries().forEach(entry -> out.putString(entry.id()).putString(entry.receiptHandle()));
                if (c.invocationBilledTo() != null) {
                    out.putString(c.invocationBilledTo()).putLong(c.invocationMillis());
                }
                yield out.toByteArray();
            }
            case CHANGE_VISIBILITY -> {
                ChangeVisibility c = (ChangeVisibility) command;
                out.putString(c.name()).putInt(c.entries().size());
                c.entries().forEach(entry -> out.putString(entry.id()).putString(entry.receiptHandle())
                        .putInt(entry.visibilityTimeoutSeconds()));
                yield out.toByteArray();
            }
            case PURGE -> out.putString(((Purge) command).name()).toByteArray();
            case START_MOVE_TASK -> {
                StartMoveTask c = (StartMoveTask) command;
                Fields.putOptionalInt(out.putString(c.sourceArn()).putString(c.destinationArn()), c.maxMessagesPerSecond());
                yield out.toByteArray();
            }
            case STEP_MOVE_TASK, STEP_MOVE_TASK_UP_TO_COUNT -> {
                StepMoveTask c = (StepMoveTask) command;
                yield out.putString(c.handle()).putInt(c.maxMessages()).toByteArray();
            }
            case CANCEL_MOVE_TASK -> out.putString(((CancelMoveTask) command).handle()).toByteArray();
            case START_MOVE_TASK_ACROSS_GROUPS -> {
                StartMoveTaskAcrossGroups c = (StartMoveTaskAcrossGroups) command;
                Fields.putOptionalInt(out.putString(c.sourceArn()).putString(c.destinationArn()), c.maxMessagesPerSecond());
                out.putBoolean(c.remoteDestination() != null);
                if (c.remoteDestination() != null) {
                    putRemoteQueue(out, c.remoteDestination());
                }
                yield out.putBoolean(c.sourceIsDeadLetterQueue()).toByteArray();
            }
            case IMPORT_TRANSFERS -> {
                ImportTransfers c = (ImportTransfers) command;
                out.putInt(c.imports().size());
                for (TransferImport item : c.imports()) {
                    out.putString(item.transferId()).putString(item.destinationArn());
                    StoredRecordCodec.putMessage(out, item.message());
                }
                yield out.toByteArray();
            }
            case SETTLE_TRANSFERS -> {
                SettleTransfers c = (SettleTransfers) command;
                putSeqs(out, c.delivered());
                putSeqs(out, c.returned());
                yield out.toByteArray();
            }
            case SET_QUEUE_LAYOUT -> {
                SetQueueLayout c = (SetQueueLayout) command;
                yield out.putString(c.name()).putByte(c.layout().fence().code()).putInt(c.layout().partitionIndex())
                        .putInt(c.layout().partitionCount()).toByteArray();
            }
            case DELETE_QUEUE_IF_EMPTY -> out.putString(((DeleteQueueIfEmpty) command).name()).toByteArray();
            case IMPORT_QUEUE_STATE -> {
                QueueCommand.ImportQueueState c = (QueueCommand.ImportQueueState) command;
                QueueExportCodec.putPage(out.putString(c.name()), c.page());
                yield out.toByteArray();
            }
            case RECORD_USAGE -> {
                QueueCommand.RecordUsage c = (QueueCommand.RecordUsage) command;
                out.putString(c.source()).putLong(c.sequence()).putInt(c.rows().size());
                for (dev.sluice.broker.core.UsageRow row : c.rows()) {
                    out.putString(row.account()).putLong(row.hourMillis()).putInt(row.kind().code()).putLong(row.amount());
                }
                yield out.toByteArray();
            }
            case FAN_OUT -> encodeFanOut(out, (QueueCommand.FanOut) command);
        };
    }

    private static byte[] encodeSend(BinaryWriter out, Send command) {
        out.putString(command.name()).putInt(command.entries().size());
        command.entries().forEach(entry -> putSendEntry(out, entry));
        if (command.deliveriesBilledTo() != null) {
            out.putString(command.deliveriesBilledTo());
        }
        return out.toByteArray();
    }

    /** Exactly the bytes {@link #encode} gives {@code command} (the frame header included), so no copy is made. */
    static int sendBytes(Send command) {
        int bytes = 3 + BinaryWriter.stringBytes(command.name()) + 4;
        for (SendEntry entry : command.entries()) {
            bytes += sendEntryBytes(entry);
        }
        return command.deliveriesBilledTo() == null ? bytes : bytes + BinaryWriter.stringBytes(command.deliveriesBilledTo());
    }

    private static int sendEntryBytes(SendEntry entry) {
        return BinaryWriter.stringBytes(entry.id()) + BinaryWriter.stringBytes(entry.body()) + 4
                + Fields.attributesBytes(entry.messageAttributes()) + BinaryWriter.stringBytes(entry.traceHeader())
                + BinaryWriter.stringBytes(entry.messageGroupId()) + BinaryWriter.stringBytes(entry.messageDeduplicationId());
    }

    private static void putSendEntry(BinaryWriter out, SendEntry entry) {
        out.putString(entry.id()).putString(entry.body());
        Fields.putOptionalInt(out, entry.delaySeconds());
        Fields.putAttributes(out, entry.messageAttributes());
        out.putString(entry.traceHeader()).putString(entry.messageGroupId()).putString(entry.messageDeduplicationId());
    }

    private static SendEntry getSendEntry(BinaryReader in) {
        return new SendEntry(in.getString(), in.getString(), Fields.getOptionalInt(in), Fields.getAttributes(in),
                in.getString(), in.getString(), in.getString());
    }

    /** {@code [outbox][billedTo][items: seq, attempts, retry delay, copies: subscription, destination, remote, billed, entry]}. */
    private static byte[] encodeFanOut(BinaryWriter out, QueueCommand.FanOut command) {
        putFanOutHead(out, command.outbox(), command.deliveriesBilledTo(), command.items().size());
        command.items().forEach(item -> putFanOutItem(out, item));
        return out.toByteArray();
    }

    private static void putFanOutHead(BinaryWriter out, String outbox, String billedTo, int items) {
        out.putString(outbox).putString(billedTo).putInt(items);
    }

    private static void putFanOutItem(BinaryWriter out, FanOutItem item) {
        out.putLong(item.outboxSeq()).putInt(item.attempts()).putInt(item.retryDelaySeconds()).putInt(item.copies().size());
        for (FanOutItem.Copy copy : item.copies()) {
            out.putString(copy.subscriptionId()).putString(copy.destinationArn()).putBoolean(copy.remote())
                    .putBoolean(copy.billed());
            putSendEntry(out, copy.entry());
        }
    }

    /**
     * The bytes a fan-out command of {@code outbox} and {@code billedTo} takes without items: with the length of each
     * item's {@link #encodeFanOutItem}, exactly the length {@link #encode} gives the command.
     */
    public static int fanOutBytesWithoutItems(String outbox, String billedTo) {
        return encode(new QueueCommand.FanOut(outbox, billedTo, List.of())).length;
    }

    /**
     * One item as a fan-out command carries it: its length is what the item adds to the command (see
     * {@link #fanOutBytesWithoutItems}), and {@link #encodeFanOut(String, String, List)} puts the bytes in the command,
     * so that a fan-out that sizes its commands before proposing them encodes each copy's body once.
     */
    public static byte[] encodeFanOutItem(FanOutItem item) {
        BinaryWriter out = new BinaryWriter();
        putFanOutItem(out, item);
        return out.toByteArray();
    }

    /**
     * The fan-out command of {@code outbox}, {@code billedTo} and items already encoded by {@link #encodeFanOutItem}:
     * byte for byte what {@link #encode} gives that command.
     */
    public static byte[] encodeFanOut(String outbox, String billedTo, List<byte[]> encodedItems) {
        int bytes = fanOutBytesWithoutItems(outbox, billedTo);
        for (byte[] item : encodedItems) {
            bytes += item.length;
        }
        BinaryWriter out = CommandFrame.writer(QueueCommandType.FAN_OUT.code(), bytes);
        putFanOutHead(out, outbox, billedTo, encodedItems.size());
        encodedItems.forEach(out::putRaw);
        return out.toByteArray();
    }

    private static QueueCommand.FanOut decodeFanOut(BinaryReader in) {
        String outbox = in.getString();
        String billedTo = in.getString();
        int count = in.getInt();
        List<FanOutItem> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long seq = in.getLong();
            int attempts = in.getInt();
            int retryDelaySeconds = in.getInt();
            int copyCount = in.getInt();
            List<FanOutItem.Copy> copies = new ArrayList<>(copyCount);
            for (int c = 0; c < copyCount; c++) {
                copies.add(new FanOutItem.Copy(in.getString(), in.getString(), in.getBoolean(), in.getBoolean(),
                        getSendEntry(in)));
            }
            items.add(new FanOutItem(seq, attempts, retryDelaySeconds, copies));
        }
        return new QueueCommand.FanOut(outbox, billedTo, items);
    }

    /**
     * The command of a frame's type code and payload. A code this release does not know is corruption
     * (or a log written by a newer release): {@link CorruptFrameException}, which stops the node's
     * apply instead of answering anything.
     */
    public static QueueCommand decode(int typeCode, ByteBuffer payload) {
        QueueCommandType type = QueueCommandType.ofCode(typeCode);
        if (type == null) {
            throw new CorruptFrameException("unknown queue command type " + typeCode);
        }
        BinaryReader in = new BinaryReader(payload);
        return switch (type) {
            case CREATE_QUEUE -> new CreateQueue(in.getString(), Fields.getStringMap(in), Fields.getStringMap(in));
            case CREATE_QUEUE_WITH_REMOTE_DEAD_LETTER_QUEUE -> new CreateQueue(in.getString(), Fields.getStringMap(in),
                    Fields.getStringMap(in), getRemoteQueue(in));
            case DELETE_QUEUE -> new DeleteQueue(in.getString());
            case SET_ATTRIBUTES -> new SetAttributes(in.getString(), Fields.getStringMap(in));
            case SET_ATTRIBUTES_WITH_REMOTE_DEAD_LETTER_QUEUE -> new SetAttributes(in.getString(), Fields.getStringMap(in),
                    getRemoteQueue(in));
            case TAG_QUEUE -> new TagQueue(in.getString(), Fields.getStringMap(in), in.getInt());
            case UNTAG_QUEUE -> new UntagQueue(in.getString(), Fields.getStrings(in));
            case SEND -> decodeSend(in, false);
            case SEND_SQS_DELIVERIES -> decodeSend(in, true);
            case RECEIVE -> new Receive(in.getString(), in.getInt(), Fields.getOptionalInt(in));
            case DELETE -> decodeDelete(in);
            case DELETE_BILLING_INVOCATION -> {
                Delete delete = decodeDelete(in);
                yield new Delete(delete.name(), delete.entries(), in.getString(), in.getLong());
            }
            case CHANGE_VISIBILITY -> decodeChangeVisibility(in);
            case PURGE -> new Purge(in.getString());
            case START_MOVE_TASK -> new StartMoveTask(in.getString(), in.getString(), Fields.getOptionalInt(in));
            case STEP_MOVE_TASK -> new StepMoveTask(in.getString(), in.getInt(), false);
            case STEP_MOVE_TASK_UP_TO_COUNT -> new StepMoveTask(in.getString(), in.getInt(), true);
            case CANCEL_MOVE_TASK -> new CancelMoveTask(in.getString());
            case RECEIVE_WITH_ATTEMPT -> new Receive(in.getString(), in.getInt(), Fields.getOptionalInt(in), in.getString());
            case START_MOVE_TASK_ACROSS_GROUPS -> new StartMoveTaskAcrossGroups(in.getString(), in.getString(),
                    Fields.getOptionalInt(in), in.getBoolean() ? getRemoteQueue(in) : null, in.getBoolean());
            case IMPORT_TRANSFERS -> decodeImports(in);
            case SETTLE_TRANSFERS -> new SettleTransfers(getSeqs(in), getSeqs(in));
            case SET_QUEUE_LAYOUT -> new SetQueueLayout(in.getString(),
                    StoredRecordCodec.layout(in.getByte(), in.getInt(), in.getInt()));
            case DELETE_QUEUE_IF_EMPTY -> new DeleteQueueIfEmpty(in.getString());
            case IMPORT_QUEUE_STATE -> new QueueCommand.ImportQueueState(in.getString(), QueueExportCodec.getPage(in));
            case RECORD_USAGE -> recordUsage(in);
            case FAN_OUT -> decodeFanOut(in);
        };
    }

    private static void putRemoteQueue(BinaryWriter out, RemoteQueue queue) {
        out.putString(queue.arn()).putBoolean(queue.fifo()).putBoolean(queue.allowsSource());
    }

    private static RemoteQueue getRemoteQueue(BinaryReader in) {
        return new RemoteQueue(in.getString(), in.getBoolean(), in.getBoolean());
    }

    private static void putSeqs(BinaryWriter out, List<Long> seqs) {
        out.putInt(seqs.size());
        seqs.forEach(out::putLong);
    }

    /** A usage kind this release does not know stops the node (as an unknown command does) rather than dropping counts. */
    private static QueueCommand.RecordUsage recordUsage(BinaryReader in) {
        String source = in.getString();
        long sequence = in.getLong();
        int count = in.getInt();
        List<dev.sluice.broker.core.UsageRow> rows = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String account = in.getString();
            long hour = in.getLong();
            int code = in.getInt();
            dev.sluice.broker.core.UsageKind kind = dev.sluice.broker.core.UsageKind.ofCode(code);
            if (kind == null) {
                throw new IllegalStateException("unknown usage kind " + code + ": written by a newer release");
            }
            rows.add(new dev.sluice.broker.core.UsageRow(account, hour, kind, in.getLong()));
        }
        return new QueueCommand.RecordUsage(source, sequence, rows);
    }

    private static List<Long> getSeqs(BinaryReader in) {
        int count = in.getInt();
        List<Long> seqs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            seqs.add(in.getLong());
        }
        return seqs;
    }

    private static ImportTransfers decodeImports(BinaryReader in) {
        int count = in.getInt();
        List<TransferImport> imports = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            imports.add(new TransferImport(in.getString(), in.getString(), StoredRecordCodec.getMessage(in)));
        }
        return new ImportTransfers(imports);
    }

    private static Send decodeSend(BinaryReader in, boolean billsDeliveries) {
        String name = in.getString();
        int count = in.getInt();
        List<SendEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(getSendEntry(in));
        }
        return new Send(name, entries, billsDeliveries ? in.getString() : null);
    }

    private static Delete decodeDelete(BinaryReader in) {
        String name = in.getString();
        int count = in.getInt();
        List<HandleEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new HandleEntry(in.getString(), in.getString()));
        }
        return new Delete(name, entries);
    }

    private static ChangeVisibility decodeChangeVisibility(BinaryReader in) {
        String name = in.getString();
        int count = in.getInt();
        List<VisibilityChange> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new VisibilityChange(in.getString(), in.getString(), in.getInt()));
        }
        return new ChangeVisibility(name, entries);
    }
}
