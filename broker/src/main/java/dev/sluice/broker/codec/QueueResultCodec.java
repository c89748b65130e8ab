package dev.sluice.broker.codec;

import dev.sluice.broker.core.EngineFailure;
import dev.sluice.broker.core.EntryOutcome;
import dev.sluice.broker.core.MoveTask;
import dev.sluice.broker.core.PeekedMessage;
import dev.sluice.broker.core.ReceivedMessage;
import dev.sluice.broker.core.TransferImport;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.raftstore.codec.BinaryReader;
import dev.sluice.raftstore.codec.BinaryWriter;
import java.nio.ByteBuffer;
import dev.sluice.broker.core.QueueCounts;
import dev.sluice.broker.core.QueueDepth;
import dev.sluice.broker.core.QueueStats;
import dev.sluice.broker.core.UsageKind;
import dev.sluice.broker.core.UsageRow;
import dev.sluice.broker.core.UsageRows;
import java.util.ArrayList;
import java.util.List;

/**
 * Results of queue commands and queries: {@code [0][payload]} for success, {@code [1][errorName][message]}
 * for an expected failure. The payload's shape depends on the command; reader and writer pairs below.
 */
public final class QueueResultCodec {
    private static final int OK = 0;
    private static final int FAILED = 1;

    private QueueResultCodec() {
    }

    public static BinaryWriter ok() {
        return new BinaryWriter(64).putByte(OK);
    }

    public static byte[] failure(SqsError error, String message) {
        return new BinaryWriter(64).putByte(FAILED).putString(error.name()).putString(message).toByteArray();
    }

    /** The payload of a success; an encoded failure is thrown as the SqsException it stands for. */
    public static BinaryReader open(ByteBuffer result) {
        BinaryReader in = new BinaryReader(result);
        if (in.getByte() == FAILED) {
            throw new SqsException(SqsError.valueOf(in.getString()), in.getString());
        }
        return in;
    }

    /** A peek's messages: {@code [count]} then per message {@code [seq][stored message][receiveCount][visibleAt][state]}. */
    public static void putPeeked(BinaryWriter out, List<PeekedMessage> messages) {
        out.putInt(messages.size());
        for (PeekedMessage peeked : messages) {
            StoredRecordCodec.putMessage(out.putLong(peeked.seq()), peeked.message());
            out.putInt(peeked.receiveCount()).putLong(peeked.visibleAtMillis()).putByte(peeked.state().code());
        }
    }

    public static List<PeekedMessage> getPeeked(BinaryReader in) {
        int count = in.getInt();
        List<PeekedMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long seq = in.getLong();
            messages.add(new PeekedMessage(seq, StoredRecordCodec.getMessage(in), in.getInt(), in.getLong(),
                    PeekedMessage.State.ofCode(in.getByte())));
        }
        return messages;
    }

    /**
     * A stats answer: {@code [count]} then per queue {@code [name][visible][inFlight][delayed][oldestAgeMillis][sent]
     * [received][deleted][deadLettered]}, all longs.
     */
    public static void putStats(BinaryWriter out, List<QueueStats> stats) {
        out.putInt(stats.size());
        for (QueueStats one : stats) {
            QueueDepth depth = one.depth();
            QueueCounts counts = one.counts();
            out.putString(depth.queue()).putLong(depth.visible()).putLong(depth.inFlight()).putLong(depth.delayed())
                    .putLong(depth.oldestAgeMillis()).putLong(counts.sent()).putLong(counts.received())
                    .putLong(counts.deleted()).putLong(counts.deadLettered());
        }
    }

    public static List<QueueStats> getStats(BinaryReader in) {
        int count = in.getInt();
        List<QueueStats> stats = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            QueueDepth depth = new QueueDepth(in.getString(), in.getLong(), in.getLong(), in.getLong(), in.getLong());
            stats.add(new QueueStats(depth, new QueueCounts(in.getLong(), in.getLong(), in.getLong(), in.getLong())));
        }
        return stats;
    }

    /** An account holdings read's answer: per account, its stored bytes and messages in flight. */
    public static void putHoldings(BinaryWriter out, List<dev.sluice.broker.core.AccountHolding> holdings) {
        out.putInt(holdings.size());
        holdings.forEach(holding -> out.putString(holding.account()).putLong(holding.storedBytes())
                .putLong(holding.inFlightMessages()));
    }

    public static List<dev.sluice.broker.core.AccountHolding> getHoldings(BinaryReader in) {
        int count = in.getInt();
        List<dev.sluice.broker.core.AccountHolding> holdings = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            holdings.add(new dev.sluice.broker.core.AccountHolding(in.getString(), in.getLong(), in.getLong()));
        }
        return holdings;
    }

    /** A usage read's answer: the rows, then whether more rows matched than one read returns. */
    public static void putUsage(BinaryWriter out, List<UsageRow> rows, boolean truncated) {
        out.putInt(rows.size());
        for (UsageRow row : rows) {
            out.putString(row.account()).putLong(row.hourMillis()).putInt(row.kind().code()).putLong(row.amount());
        }
        out.putBoolean(truncated);
    }

    /** Rows of kinds this release does not know (a newer leader answered) are left out. */
    public static UsageRows getUsage(BinaryReader in) {
        int count = in.getInt();
        List<UsageRow> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String account = in.getString();
            long hour = in.getLong();
            UsageKind kind = UsageKind.ofCode(in.getInt());
            long amount = in.getLong();
            if (kind != null) {
                rows.add(new UsageRow(account, hour, kind, amount));
            }
        }
        return new UsageRows(rows, in.getBoolean());
    }

    public static void putOutcomes(BinaryWriter out, List<EntryOutcome> outcomes) {
        out.putInt(outcomes.size());
        for (EntryOutcome outcome : outcomes) {
            out.putString(outcome.id()).putString(outcome.messageId()).putString(outcome.sequenceNumber())
                    .putBoolean(outcome.succeeded());
            if (!outcome.succeeded()) {
                out.putString(outcome.failure().error().name()).putString(outcome.failure().message());
            }
        }
    }

    /** Exactly the bytes {@link #putOutcomes} writes: with {@link BinaryWriter#reserve}, a batch's answer is not copied. */
    public static int outcomesBytes(List<EntryOutcome> outcomes) {
        int bytes = 4;
        for (EntryOutcome outcome : outcomes) {
            bytes += BinaryWriter.stringBytes(outcome.id()) + BinaryWriter.stringBytes(outcome.messageId())
                    + BinaryWriter.stringBytes(outcome.sequenceNumber()) + 1;
            if (!outcome.succeeded()) {
                bytes += BinaryWriter.stringBytes(outcome.failure().error().name())
                        + BinaryWriter.stringBytes(outcome.failure().message());
            }
        }
        return bytes;
    }

    /** {@link #putOutcomes} as the end of an answer: sized exactly first, so the answer's bytes are handed over uncopied. */
    public static BinaryWriter endWithOutcomes(BinaryWriter out, List<EntryOutcome> outcomes) {
        putOutcomes(out.reserve(outcomesBytes(outcomes)), outcomes);
        return out;
    }

    /** A fan-out's result: {@code [count]} then per item {@code [status]} and, for a taken item, its copies' outcomes. */
    public static void putFanOutOutcomes(BinaryWriter out, List<dev.sluice.broker.core.FanOutItem.Outcome> outcomes) {
        out.putInt(outcomes.size());
        for (dev.sluice.broker.core.FanOutItem.Outcome outcome : outcomes) {
            out.putByte(outcome.status().code());
            putOutcomes(out, outcome.copies());
        }
    }

    public static List<dev.sluice.broker.core.FanOutItem.Outcome> getFanOutOutcomes(BinaryReader in) {
        int count = in.getInt();
        List<dev.sluice.broker.core.FanOutItem.Outcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            dev.sluice.broker.core.FanOutItem.Status status = dev.sluice.broker.core.FanOutItem.Status.ofCode(in.getByte());
            outcomes.add(new dev.sluice.broker.core.FanOutItem.Outcome(status, getOutcomes(in)));
        }
        return outcomes;
    }

    public static List<EntryOutcome> getOutcomes(BinaryReader in) {
        int count = in.getInt();
        List<EntryOutcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = in.getString();
            String messageId = in.getString();
            String sequenceNumber = in.getString();
            boolean succeeded = in.getBoolean();
            outcomes.add(succeeded ? EntryOutcome.sent(id, messageId, sequenceNumber)
                    : EntryOutcome.failed(id, new EngineFailure(SqsError.valueOf(in.getString()), in.getString())));
        }
        return outcomes;
    }

    public static void putMessages(BinaryWriter out, List<ReceivedMessage> messages) {
        out.putInt(messages.size());
        for (ReceivedMessage message : messages) {
            out.putString(message.messageId()).putString(message.receiptHandle()).putString(message.body());
            Fields.putStringMap(out, message.systemAttributes());
            Fields.putAttributes(out, message.messageAttributes());
        }
    }

    /** Exactly the bytes {@link #putMessages} writes: with {@link BinaryWriter#reserve}, a receive's answer is not copied. */
    public static int messagesBytes(List<ReceivedMessage> messages) {
        int bytes = 4;
        for (ReceivedMessage message : messages) {
            bytes += BinaryWriter.stringBytes(message.messageId()) + BinaryWriter.stringBytes(message.receiptHandle())
                    + BinaryWriter.stringBytes(message.body()) + Fields.stringMapBytes(message.systemAttributes())
                    + Fields.attributesBytes(message.messageAttributes());
        }
        return bytes;
    }

    /** {@link #putMessages} as the end of an answer: sized exactly first, so the answer's bytes are handed over uncopied. */
    public static BinaryWriter endWithMessages(BinaryWriter out, List<ReceivedMessage> messages) {
        putMessages(out.reserve(messagesBytes(messages)), messages);
        return out;
    }

    public static List<ReceivedMessage> getMessages(BinaryReader in) {
        int count = in.getInt();
        List<ReceivedMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(new ReceivedMessage(in.getString(), in.getString(), in.getString(), Fields.getStringMap(in),
                    Fields.getAttributes(in)));
        }
        return messages;
    }

    public static void putStrings(BinaryWriter out, List<String> values) {
        Fields.putStrings(out, values);
    }

    public static List<String> getStrings(BinaryReader in) {
        return Fields.getStrings(in);
    }

    public static void putStringMap(BinaryWriter out, java.util.Map<String, String> map) {
        Fields.putStringMap(out, map);
    }

    public static java.util.Map<String, String> getStringMap(BinaryReader in) {
        return Fields.getStringMap(in);
    }

    public static void putMoveTasks(BinaryWriter out, List<MoveTask> tasks) {
        out.putInt(tasks.size());
        tasks.forEach(task -> StoredRecordCodec.putMoveTask(out, task));
    }

    public static List<MoveTask> getMoveTasks(BinaryReader in) {
        int count = in.getInt();
        List<MoveTask> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(StoredRecordCodec.getMoveTask(in));
        }
        return tasks;
    }

    /** One byte per import, the outcome's position in {@link TransferImport.Outcome} (append-only). */
    public static void putImportOutcomes(BinaryWriter out, List<TransferImport.Outcome> outcomes) {
        out.putInt(outcomes.size());
        outcomes.forEach(outcome -> out.putByte(outcome.ordinal()));
    }

    public static List<TransferImport.Outcome> getImportOutcomes(BinaryReader in) {
        int count = in.getInt();
        List<TransferImport.Outcome> outcomes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            outcomes.add(TransferImport.Outcome.values()[in.getByte()]);
        }
        return outcomes;
    }
}
