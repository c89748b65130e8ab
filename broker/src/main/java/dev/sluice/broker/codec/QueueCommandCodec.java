package dev.sluice.broker.codec;

import dev.sluice.broker.core.HandleEntry;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueCommand.CancelMoveTask;
import dev.sluice.broker.core.QueueCommand.ChangeVisibility;
import dev.sluice.broker.core.QueueCommand.CreateQueue;
import dev.sluice.broker.core.QueueCommand.Delete;
import dev.sluice.broker.core.QueueCommand.DeleteQueue;
import dev.sluice.broker.core.QueueCommand.Purge;
import dev.sluice.broker.core.QueueCommand.Receive;
import dev.sluice.broker.core.QueueCommand.Send;
import dev.sluice.broker.core.QueueCommand.SetAttributes;
import dev.sluice.broker.core.QueueCommand.StartMoveTask;
import dev.sluice.broker.core.QueueCommand.StepMoveTask;
import dev.sluice.broker.core.QueueCommand.TagQueue;
import dev.sluice.broker.core.QueueCommand.UntagQueue;
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
 * Queue commands to and from their log frames: {@code [formatVersion][typeId][fields]}, big-endian,
 * length-prefixed. Golden files under src/test/resources/golden/commands hold the format still.
 */
public final class QueueCommandCodec {
    private QueueCommandCodec() {
    }

    public static byte[] encode(QueueCommand command) {
        BinaryWriter out = CommandFrame.writer(command.typeId());
        if (command instanceof CreateQueue c) {
            out.putString(c.name());
            Fields.putStringMap(out, c.attributes());
            Fields.putStringMap(out, c.tags());
        } else if (command instanceof DeleteQueue c) {
            out.putString(c.name());
        } else if (command instanceof SetAttributes c) {
            out.putString(c.name());
            Fields.putStringMap(out, c.attributes());
        } else if (command instanceof TagQueue c) {
            out.putString(c.name());
            Fields.putStringMap(out, c.tags());
            out.putInt(c.maxTags());
        } else if (command instanceof UntagQueue c) {
            out.putString(c.name());
            Fields.putStrings(out, c.keys());
        } else if (command instanceof Send c) {
            out.putString(c.name()).putInt(c.entries().size());
            for (SendEntry entry : c.entries()) {
                out.putString(entry.id()).putString(entry.body());
                Fields.putOptionalInt(out, entry.delaySeconds());
                Fields.putAttributes(out, entry.messageAttributes());
                out.putString(entry.traceHeader()).putString(entry.messageGroupId()).putString(entry.messageDeduplicationId());
            }
        } else if (command instanceof Receive c) {
            out.putString(c.name()).putInt(c.maxMessages());
            Fields.putOptionalInt(out, c.visibilityTimeoutSeconds());
            if (c.receiveRequestAttemptId() != null) {
                out.putString(c.receiveRequestAttemptId());
            }
        } else if (command instanceof Delete c) {
            out.putString(c.name()).putInt(c.entries().size());
            c.entries().forEach(entry -> out.putString(entry.id()).putString(entry.receiptHandle()));
        } else if (command instanceof ChangeVisibility c) {
            out.putString(c.name()).putInt(c.entries().size());
            c.entries().forEach(entry -> out.putString(entry.id()).putString(entry.receiptHandle())
                    .putInt(entry.visibilityTimeoutSeconds()));
        } else if (command instanceof Purge c) {
            out.putString(c.name());
        } else if (command instanceof StartMoveTask c) {
            out.putString(c.sourceArn()).putString(c.destinationArn());
            Fields.putOptionalInt(out, c.maxMessagesPerSecond());
        } else if (command instanceof StepMoveTask c) {
            out.putString(c.handle()).putInt(c.maxMessages());
        } else if (command instanceof CancelMoveTask c) {
            out.putString(c.handle());
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
        return out.toByteArray();
    }

    public static QueueCommand decode(int typeId, ByteBuffer payload) {
        BinaryReader in = new BinaryReader(payload);
        return switch (typeId) {
            case 1 -> new CreateQueue(in.getString(), Fields.getStringMap(in), Fields.getStringMap(in));
            case 2 -> new DeleteQueue(in.getString());
            case 3 -> new SetAttributes(in.getString(), Fields.getStringMap(in));
            case 4 -> new TagQueue(in.getString(), Fields.getStringMap(in), in.getInt());
            case 5 -> new UntagQueue(in.getString(), Fields.getStrings(in));
            case 6 -> decodeSend(in);
            case 7 -> new Receive(in.getString(), in.getInt(), Fields.getOptionalInt(in));
            case 8 -> decodeDelete(in);
            case 9 -> decodeChangeVisibility(in);
            case 10 -> new Purge(in.getString());
            case 11 -> new StartMoveTask(in.getString(), in.getString(), Fields.getOptionalInt(in));
            case 12 -> new StepMoveTask(in.getString(), in.getInt());
            case 13 -> new CancelMoveTask(in.getString());
            case 14 -> new Receive(in.getString(), in.getInt(), Fields.getOptionalInt(in), in.getString());
            default -> throw new CorruptFrameException("unknown queue command type " + typeId);
        };
    }

    private static Send decodeSend(BinaryReader in) {
        String name = in.getString();
        int count = in.getInt();
        List<SendEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(new SendEntry(in.getString(), in.getString(), Fields.getOptionalInt(in), Fields.getAttributes(in),
                    in.getString(), in.getString(), in.getString()));
        }
        return new Send(name, entries);
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
