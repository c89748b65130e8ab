package dev.sluice.broker.storage;

import dev.sluice.broker.codec.StoredRecordCodec;
import dev.sluice.broker.core.DeduplicationRecord;
import dev.sluice.broker.core.ImportedTransfer;
import dev.sluice.broker.core.MessageMeta;
import dev.sluice.broker.core.MoveTask;
import dev.sluice.broker.core.QueueLineage;
import dev.sluice.broker.core.QueueRecord;
import dev.sluice.broker.core.QueueStorage;
import dev.sluice.broker.core.ReceiveAttempt;
import dev.sluice.broker.core.StoredMessage;
import dev.sluice.broker.core.Transfer;
import dev.sluice.raftstore.spi.StoreReader;
import dev.sluice.raftstore.spi.StoreWriter;
import java.util.ArrayList;
import java.util.List;

/** {@link QueueStorage} over the write batch of the Raft entry being applied. */
public final class RocksQueueStorage implements QueueStorage {
    private StoreWriter writer;

    /** Points the storage at the batch of the entry about to be applied. */
    public void use(StoreWriter entryWriter) {
        this.writer = entryWriter;
    }

    @Override
    public void putQueue(QueueRecord record) {
        writer.put(QueueKeys.QUEUES, QueueKeys.named(QueueKeys.QUEUE_PREFIX, record.name()), StoredRecordCodec.encodeQueue(record));
    }

    @Override
    public void deleteQueue(String name) {
        writer.delete(QueueKeys.QUEUES, QueueKeys.named(QueueKeys.QUEUE_PREFIX, name));
    }

    @Override
    public void putTombstone(String name, long deletedAtMillis) {
        writer.put(QueueKeys.QUEUES, QueueKeys.named(QueueKeys.TOMBSTONE_PREFIX, name),
                java.nio.ByteBuffer.allocate(8).putLong(deletedAtMillis).array());
    }

    @Override
    public void deleteTombstone(String name) {
        writer.delete(QueueKeys.QUEUES, QueueKeys.named(QueueKeys.TOMBSTONE_PREFIX, name));
    }

    @Override
    public void putMessage(long queueId, long seq, StoredMessage message) {
        writer.put(QueueKeys.MESSAGES, QueueKeys.message(queueId, seq), StoredRecordCodec.encodeMessage(message));
    }

    @Override
    public StoredMessage readMessage(long queueId, long seq) {
        return decodeStored(queueId, seq, writer.get(QueueKeys.MESSAGES, QueueKeys.message(queueId, seq)));
    }

    /** One multi-get for all the messages, through the entry's batch (see {@code StoreReader.getAll}). */
    @Override
    public List<StoredMessage> readMessages(long queueId, long[] seqs) {
        List<byte[]> keys = new ArrayList<>(seqs.length);
        for (long seq : seqs) {
            keys.add(QueueKeys.message(queueId, seq));
        }
        List<byte[]> stored = writer.getAll(QueueKeys.MESSAGES, keys);
        List<StoredMessage> messages = new ArrayList<>(seqs.length);
        for (int i = 0; i < seqs.length; i++) {
            messages.add(decodeStored(queueId, seqs[i], stored.get(i)));
        }
        return messages;
    }

    private static StoredMessage decodeStored(long queueId, long seq, byte[] bytes) {
        if (bytes == null) {
            throw new IllegalStateException("message " + queueId + "/" + seq + " is indexed but not stored");
        }
        return StoredRecordCodec.decodeMessage(bytes);
    }

    /** A stored message read outside apply (a query's reader); null when there is none. */
    public static StoredMessage readMessage(StoreReader reader, long queueId, long seq) {
        byte[] bytes = reader.get(QueueKeys.MESSAGES, QueueKeys.message(queueId, seq));
        return bytes == null ? null : StoredRecordCodec.decodeMessage(bytes);
    }

    @Override
    public void putDelivery(long queueId, long seq, MessageMeta meta) {
        writer.put(QueueKeys.DELIVERIES, QueueKeys.message(queueId, seq), StoredRecordCodec.encodeDelivery(meta));
    }

    @Override
    public void deleteMessage(long queueId, long seq) {
        byte[] key = QueueKeys.message(queueId, seq);
        writer.delete(QueueKeys.MESSAGES, key);
        writer.delete(QueueKeys.DELIVERIES, key);
    }

    @Override
    public void putDeduplication(long queueId, String key, DeduplicationRecord record) {
        writer.put(QueueKeys.DEDUP, QueueKeys.remembered(queueId, QueueKeys.DEDUPLICATION, key),
                StoredRecordCodec.encodeDeduplication(record));
    }

    @Override
    public void deleteDeduplication(long queueId, String key) {
        writer.delete(QueueKeys.DEDUP, QueueKeys.remembered(queueId, QueueKeys.DEDUPLICATION, key));
    }

    @Override
    public void putReceiveAttempt(long queueId, String attemptId, ReceiveAttempt attempt) {
        writer.put(QueueKeys.DEDUP, QueueKeys.remembered(queueId, QueueKeys.RECEIVE_ATTEMPT, attemptId),
                StoredRecordCodec.encodeReceiveAttempt(attempt));
    }

    @Override
    public void deleteReceiveAttempt(long queueId, String attemptId) {
        writer.delete(QueueKeys.DEDUP, QueueKeys.remembered(queueId, QueueKeys.RECEIVE_ATTEMPT, attemptId));
    }

    @Override
    public void putMoveTask(MoveTask task) {
        writer.put(QueueKeys.QUEUES, QueueKeys.named(QueueKeys.MOVE_TASK_PREFIX, task.handle()), StoredRecordCodec.encodeMoveTask(task));
    }

    @Override
    public void putTransfer(Transfer transfer) {
        writer.put(QueueKeys.QUEUES, QueueKeys.transfer(transfer.seq()), StoredRecordCodec.encodeTransfer(transfer));
    }

    @Override
    public void deleteTransfer(long seq) {
        writer.delete(QueueKeys.QUEUES, QueueKeys.transfer(seq));
    }

    @Override
    public void putImportedTransfer(long queueId, String transferId, ImportedTransfer record) {
        writer.put(QueueKeys.DEDUP, QueueKeys.remembered(queueId, QueueKeys.IMPORTED_TRANSFER, transferId),
                StoredRecordCodec.encodeImportedTransfer(record));
    }

    @Override
    public void deleteImportedTransfer(long queueId, String transferId) {
        writer.delete(QueueKeys.DEDUP, QueueKeys.remembered(queueId, QueueKeys.IMPORTED_TRANSFER, transferId));
    }

    @Override
    public void putRemoteDeadLetterTarget(String queueName) {
        writer.put(QueueKeys.QUEUES, QueueKeys.named(QueueKeys.REMOTE_DEAD_LETTER_PREFIX, queueName), new byte[0]);
    }

    @Override
    public void deleteRemoteDeadLetterTarget(String queueName) {
        writer.delete(QueueKeys.QUEUES, QueueKeys.named(QueueKeys.REMOTE_DEAD_LETTER_PREFIX, queueName));
    }

    @Override
    public void putLineage(String queueName, QueueLineage lineage) {
        writer.put(QueueKeys.QUEUES, QueueKeys.named(QueueKeys.LINEAGE_PREFIX, queueName), StoredRecordCodec.encodeLineage(lineage));
    }

    @Override
    public void deleteLineage(String queueName) {
        writer.delete(QueueKeys.QUEUES, QueueKeys.named(QueueKeys.LINEAGE_PREFIX, queueName));
    }

    @Override
    public void putAccrual(long queueId, long accruedUntilMillis, long carryByteMillis) {
        writer.put(QueueKeys.QUEUES, QueueKeys.accrual(queueId), StoredRecordCodec.encodeAccrual(accruedUntilMillis, carryByteMillis));
    }

    @Override
    public void deleteAccrual(long queueId) {
        writer.delete(QueueKeys.QUEUES, QueueKeys.accrual(queueId));
    }
}
