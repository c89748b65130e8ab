package dev.sluice.broker.codec;

import dev.sluice.broker.core.DeduplicationRecord;
import dev.sluice.broker.core.QueueExport;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration's export page ({@link QueueExport}) as the EXPORT_QUEUE query answers it and the IMPORT_QUEUE_STATE
 * command carries it into the Raft log (so its bytes are held still by that command's golden file):
 * {@code [queueIds][messages][deduplications][sequenceFloor][hasNext][next position]}.
 */
public final class QueueExportCodec {
    private QueueExportCodec() {
    }

    public static void putPage(BinaryWriter out, QueueExport page) {
        out.putInt(page.queueIds().size());
        page.queueIds().forEach(out::putLong);
        out.putInt(page.messages().size());
        for (QueueExport.Message item : page.messages()) {
            out.putLong(item.seq());
            StoredRecordCodec.putMessage(out, item.message());
            out.putLong(item.visibleAtMillis()).putInt(item.receiveCount()).putLong(item.firstReceiveMillis())
                    .putLong(item.receiptNonce());
        }
        out.putInt(page.deduplications().size());
        for (QueueExport.Deduplication item : page.deduplications()) {
            out.putString(item.key()).putString(item.record().messageId()).putLong(item.record().seq())
                    .putLong(item.record().expiresAtMillis());
        }
        out.putLong(page.sequenceFloor()).putBoolean(page.next() != null);
        if (page.next() != null) {
            putPosition(out, page.next());
        }
    }

    public static QueueExport getPage(BinaryReader in) {
        int idCount = in.getInt();
        List<Long> ids = new ArrayList<>(idCount);
        for (int i = 0; i < idCount; i++) {
            ids.add(in.getLong());
        }
        int messageCount = in.getInt();
        List<QueueExport.Message> messages = new ArrayList<>(messageCount);
        for (int i = 0; i < messageCount; i++) {
            messages.add(new QueueExport.Message(in.getLong(), StoredRecordCodec.getMessage(in), in.getLong(), in.getInt(),
                    in.getLong(), in.getLong()));
        }
        int recordCount = in.getInt();
        List<QueueExport.Deduplication> records = new ArrayList<>(recordCount);
        for (int i = 0; i < recordCount; i++) {
            records.add(new QueueExport.Deduplication(in.getString(),
                    new DeduplicationRecord(in.getString(), in.getLong(), in.getLong())));
        }
        long floor = in.getLong();
        return new QueueExport(ids, messages, records, floor, in.getBoolean() ? getPosition(in) : null);
    }

    public static void putPosition(BinaryWriter out, QueueExport.Position position) {
        out.putBoolean(position.deduplications()).putLong(position.afterSeq()).putString(position.afterKey());
    }

    public static QueueExport.Position getPosition(BinaryReader in) {
        return new QueueExport.Position(in.getBoolean(), in.getLong(), in.getString());
    }
}
