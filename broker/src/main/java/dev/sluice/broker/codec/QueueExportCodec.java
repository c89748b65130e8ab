package dev.sluice.broker.codec;

import dev.sluice.broker.core.DeduplicationRecord;
import dev.sluice.broker.core.QueueExport;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.CorruptFrameException;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A migration's export page ({@link QueueExport}) as the EXPORT_QUEUE query answers it and the IMPORT_QUEUE_STATE
 * command carries it into the Raft log (so its bytes are held still by that command's golden file):
 * {@code [queueIds][messages][deduplications][sequenceFloor][hasNext][next position]}, then, appended later and only
 * when the page has any, {@code [receive attempts]}: a page without attempts keeps the bytes of the first format, and
 * a reader finds the attempts by the bytes left after the position (the page ends its command and its query answer).
 * A position's phase travels in the first format's fields: messages as {@code [false][afterSeq][afterKey]}, the later
 * phases as {@code [true][phase - 1][afterKey]} (the sequence field, otherwise unused there, was always 0 for the
 * deduplications).
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
        if (!page.attempts().isEmpty()) {
            out.putInt(page.attempts().size());
            for (QueueExport.Attempt item : page.attempts()) {
                // As the group stores an attempt (versioned), so both forms stay one.
                out.putString(item.attemptId()).putBytes(StoredRecordCodec.encodeReceiveAttempt(item.attempt()));
            }
        }
    }

    private static List<QueueExport.Attempt> getAttempts(BinaryReader in) {
        if (!in.hasRemaining()) {
            return List.of();
        }
        int count = in.getInt();
        List<QueueExport.Attempt> attempts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            attempts.add(new QueueExport.Attempt(in.getString(), StoredRecordCodec.decodeReceiveAttempt(in.getBytes())));
        }
        return attempts;
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
        QueueExport.Position next = in.getBoolean() ? getPosition(in) : null;
        return new QueueExport(ids, messages, records, floor, next, getAttempts(in));
    }

    public static void putPosition(BinaryWriter out, QueueExport.Position position) {
        boolean messages = position.phase() == QueueExport.Phase.MESSAGES;
        out.putBoolean(!messages).putLong(messages ? position.afterSeq() : position.phase().ordinal() - 1)
                .putString(position.afterKey());
    }

    public static QueueExport.Position getPosition(BinaryReader in) {
        boolean later = in.getBoolean();
        long seq = in.getLong();
        String afterKey = in.getString();
        if (!later) {
            return new QueueExport.Position(QueueExport.Phase.MESSAGES, seq, afterKey);
        }
        if (seq < 0 || seq + 1 >= QueueExport.Phase.values().length) {
            throw new CorruptFrameException("unknown export phase " + (seq + 1));
        }
        return new QueueExport.Position(QueueExport.Phase.values()[(int) seq + 1], 0, afterKey);
    }
}
