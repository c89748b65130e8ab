package dev.sluice.broker.codec;

import dev.sluice.broker.core.QueueQuery;
import dev.sluice.broker.core.QueueQuery.Attributes;
import dev.sluice.broker.core.QueueQuery.DeadLetterSources;
import dev.sluice.broker.core.QueueQuery.Exists;
import dev.sluice.broker.core.QueueQuery.ListQueues;
import dev.sluice.broker.core.QueueQuery.MoveTasksOf;
import dev.sluice.broker.core.QueueQuery.Tags;
import dev.sluice.broker.core.QueueQueryType;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.nio.ByteBuffer;

/** Queue queries: {@code [typeCode][fields]}, type codes from {@link QueueQueryType}. */
public final class QueueQueryCodec {
    private QueueQueryCodec() {
    }

    public static byte[] encode(QueueQuery query) {
        BinaryWriter out = new BinaryWriter(64).putByte(query.type().code());
        return switch (query.type()) {
            case ATTRIBUTES -> {
                Attributes q = (Attributes) query;
                Fields.putStrings(out.putString(q.name()), q.attributeNames());
                yield out.putLong(q.nowMillis()).toByteArray();
            }
            case EXISTS -> out.putString(((Exists) query).name()).toByteArray();
            case LIST_QUEUES -> {
                ListQueues q = (ListQueues) query;
                yield out.putString(q.prefix()).putString(q.startAfter()).putInt(q.limit()).toByteArray();
            }
            case TAGS -> out.putString(((Tags) query).name()).toByteArray();
            case DEAD_LETTER_SOURCES -> out.putString(((DeadLetterSources) query).name()).toByteArray();
            case MOVE_TASKS_OF -> {
                MoveTasksOf q = (MoveTasksOf) query;
                yield out.putString(q.sourceArn()).putInt(q.limit()).toByteArray();
            }
            case DEAD_LETTER_SOURCES_ANYWHERE -> out.putString(((QueueQuery.DeadLetterSourcesAnywhere) query).name()).toByteArray();
            case REDRIVE_TARGET -> {
                QueueQuery.RedriveTarget q = (QueueQuery.RedriveTarget) query;
                yield out.putString(q.name()).putString(q.sourceArn()).toByteArray();
            }
            case LIVE_DEDUPLICATION -> {
                QueueQuery.LiveDeduplication q = (QueueQuery.LiveDeduplication) query;
                yield out.putString(q.name()).putLong(q.nowMillis()).toByteArray();
            }
            case EXPORT_QUEUE -> {
                QueueQuery.ExportQueue q = (QueueQuery.ExportQueue) query;
                QueueExportCodec.putPosition(out.putString(q.name()), q.from());
                yield out.putInt(q.maxBytes()).putLong(q.nowMillis()).toByteArray();
            }
            case PEEK_MESSAGES -> {
                QueueQuery.PeekMessages q = (QueueQuery.PeekMessages) query;
                yield out.putString(q.name()).putInt(q.limit()).putLong(q.nowMillis()).toByteArray();
            }
            case RECEIVABLE -> out.putString(((QueueQuery.Receivable) query).name()).toByteArray();
            case QUEUE_STATS -> {
                QueueQuery.Stats q = (QueueQuery.Stats) query;
                Fields.putStrings(out, q.names());
                yield out.putLong(q.nowMillis()).toByteArray();
            }
            case USAGE -> {
                QueueQuery.Usage q = (QueueQuery.Usage) query;
                yield out.putString(q.account()).putLong(q.fromMillis()).putLong(q.toMillis()).toByteArray();
            }
            case ACCOUNT_HOLDINGS -> {
                Fields.putStrings(out, ((QueueQuery.AccountHoldings) query).accounts());
                yield out.toByteArray();
            }
        };
    }

    /** A query this release does not know fails the read (queries change nothing, so the node keeps serving). */
    public static QueueQuery decode(ByteBuffer request) {
        BinaryReader in = new BinaryReader(request);
        int code = in.getByte();
        QueueQueryType type = QueueQueryType.ofCode(code);
        if (type == null) {
            throw new IllegalArgumentException("unknown queue query type " + code);
        }
        return switch (type) {
            case ATTRIBUTES -> new Attributes(in.getString(), Fields.getStrings(in), in.getLong());
            case EXISTS -> new Exists(in.getString());
            case LIST_QUEUES -> new ListQueues(in.getString(), in.getString(), in.getInt());
            case TAGS -> new Tags(in.getString());
            case DEAD_LETTER_SOURCES -> new DeadLetterSources(in.getString());
            case MOVE_TASKS_OF -> new MoveTasksOf(in.getString(), in.getInt());
            case REDRIVE_TARGET -> new QueueQuery.RedriveTarget(in.getString(), in.getString());
            case DEAD_LETTER_SOURCES_ANYWHERE -> new QueueQuery.DeadLetterSourcesAnywhere(in.getString());
            case LIVE_DEDUPLICATION -> new QueueQuery.LiveDeduplication(in.getString(), in.getLong());
            case EXPORT_QUEUE -> new QueueQuery.ExportQueue(in.getString(), QueueExportCodec.getPosition(in), in.getInt(),
                    in.getLong());
            case PEEK_MESSAGES -> new QueueQuery.PeekMessages(in.getString(), in.getInt(), in.getLong());
            case RECEIVABLE -> new QueueQuery.Receivable(in.getString());
            case QUEUE_STATS -> new QueueQuery.Stats(Fields.getStrings(in), in.getLong());
            case USAGE -> new QueueQuery.Usage(in.getString(), in.getLong(), in.getLong());
            case ACCOUNT_HOLDINGS -> new QueueQuery.AccountHoldings(Fields.getStrings(in));
        };
    }
}
