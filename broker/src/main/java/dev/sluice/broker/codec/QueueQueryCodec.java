package dev.sluice.broker.codec;

import dev.sluice.broker.core.QueueQuery;
import dev.sluice.broker.core.QueueQuery.Attributes;
import dev.sluice.broker.core.QueueQuery.DeadLetterSources;
import dev.sluice.broker.core.QueueQuery.DeadLetterSourcesAnywhere;
import dev.sluice.broker.core.QueueQuery.Exists;
import dev.sluice.broker.core.QueueQuery.ListQueues;
import dev.sluice.broker.core.QueueQuery.MoveTasksOf;
import dev.sluice.broker.core.QueueQuery.Tags;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.nio.ByteBuffer;

/** Queue queries: {@code [typeId][fields]}. */
public final class QueueQueryCodec {
    private QueueQueryCodec() {
    }

    public static byte[] encode(QueueQuery query) {
        BinaryWriter out = new BinaryWriter(64).putByte(query.typeId());
        if (query instanceof Attributes q) {
            out.putString(q.name());
            Fields.putStrings(out, q.attributeNames());
            out.putLong(q.nowMillis());
        } else if (query instanceof Exists q) {
            out.putString(q.name());
        } else if (query instanceof ListQueues q) {
            out.putString(q.prefix()).putString(q.startAfter()).putInt(q.limit());
        } else if (query instanceof Tags q) {
            out.putString(q.name());
        } else if (query instanceof DeadLetterSources q) {
            out.putString(q.name());
        } else if (query instanceof DeadLetterSourcesAnywhere q) {
            out.putString(q.name());
        } else if (query instanceof MoveTasksOf q) {
            out.putString(q.sourceArn()).putInt(q.limit());
        }
        return out.toByteArray();
    }

    public static QueueQuery decode(ByteBuffer request) {
        BinaryReader in = new BinaryReader(request);
        int type = in.getByte();
        return switch (type) {
            case 1 -> new Attributes(in.getString(), Fields.getStrings(in), in.getLong());
            case 2 -> new Exists(in.getString());
            case 3 -> new ListQueues(in.getString(), in.getString(), in.getInt());
            case 4 -> new Tags(in.getString());
            case 5 -> new DeadLetterSources(in.getString());
            case 6 -> new MoveTasksOf(in.getString(), in.getInt());
            case 7 -> new DeadLetterSourcesAnywhere(in.getString());
            default -> throw new IllegalArgumentException("unknown queue query type " + type);
        };
    }
}
