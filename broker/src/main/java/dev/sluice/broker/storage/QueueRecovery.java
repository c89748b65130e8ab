package dev.sluice.broker.storage;

import dev.sluice.broker.codec.StoredRecordCodec;
import dev.sluice.broker.codec.StoredRecordCodec.IndexedMessage;
import dev.sluice.broker.core.QueueBook;
import dev.sluice.raftstore.codec.CorruptFrameException;
import dev.sluice.raftstore.spi.StoreReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Rebuilds a {@link QueueBook} from RocksDB: queues (with the lineage of migrated ones), tombstones, move tasks, remote dead-letter
 * marks and the outbox of transfers (in outbox order) first, then every
 * message with its delivery state (in key order, so each FIFO group in send order), then the FIFO
 * deduplication, receive-attempt and imported-transfer records, with where each queue's stored bytes were billed up to
 * in between. A standard queue's messages never received and visible from when they were stored go straight back to
 * its compact ready backlog; the others are indexed as not yet visible and become ready at the first receive's
 * promotion, which uses the leader-stamped time (recovery itself knows no time).
 */
public final class QueueRecovery {
    private QueueRecovery() {
    }

    public static void load(StoreReader reader, QueueBook book) {
        reader.scan(QueueKeys.QUEUES, QueueKeys.prefix(QueueKeys.QUEUE_PREFIX), null, (key, value) -> {
            book.restoreQueue(StoredRecordCodec.decodeQueue(value));
            return true;
        });
        reader.scan(QueueKeys.QUEUES, QueueKeys.prefix(QueueKeys.LINEAGE_PREFIX), null, (key, value) -> {
            book.restoreLineage(new String(key, StandardCharsets.UTF_8).substring(QueueKeys.LINEAGE_PREFIX.length()),
                    StoredRecordCodec.decodeLineage(value));
            return true;
        });
        reader.scan(QueueKeys.QUEUES, QueueKeys.prefix(QueueKeys.TOMBSTONE_PREFIX), null, (key, value) -> {
            String name = new String(key, StandardCharsets.UTF_8).substring(QueueKeys.TOMBSTONE_PREFIX.length());
            book.restoreTombstone(name, ByteBuffer.wrap(value).getLong());
            return true;
        });
        reader.scan(QueueKeys.QUEUES, QueueKeys.prefix(QueueKeys.MOVE_TASK_PREFIX), null, (key, value) -> {
            book.restoreMoveTask(StoredRecordCodec.decodeMoveTask(value));
            return true;
        });
        reader.scan(QueueKeys.QUEUES, QueueKeys.prefix(QueueKeys.REMOTE_DEAD_LETTER_PREFIX), null, (key, value) -> {
            book.restoreRemoteDeadLetterTarget(new String(key, StandardCharsets.UTF_8)
                    .substring(QueueKeys.REMOTE_DEAD_LETTER_PREFIX.length()));
            return true;
        });
        reader.scan(QueueKeys.QUEUES, QueueKeys.prefix(QueueKeys.TRANSFER_PREFIX), null, (key, value) -> {
            book.restoreTransfer(StoredRecordCodec.decodeTransfer(value));
            return true;
        });
        // Deliveries exist only for messages received at least once: read them in one pass, not one lookup per message.
        Map<ByteBuffer, byte[]> deliveries = new HashMap<>();
        reader.scan(QueueKeys.DELIVERIES, new byte[0], null, (key, value) -> {
            deliveries.put(ByteBuffer.wrap(key), value);
            return true;
        });
        reader.scan(QueueKeys.MESSAGES, new byte[0], null, (key, value) -> {
            IndexedMessage message = StoredRecordCodec.decodeIndexed(QueueKeys.seqOf(key), value,
                    deliveries.remove(ByteBuffer.wrap(key)));
            book.restoreMessage(QueueKeys.queueIdOf(key), message.meta(), message.messageGroupId(), Long.MIN_VALUE);
            return true;
        });
        // After the messages: a queue's stored bytes are known, and where they were billed up to goes with them.
        reader.scan(QueueKeys.QUEUES, QueueKeys.prefix(QueueKeys.ACCRUAL_PREFIX), null, (key, value) -> {
            long[] accrual = StoredRecordCodec.decodeAccrual(value);
            book.restoreAccrual(QueueKeys.queueIdOfAccrual(key), accrual[0], accrual[1]);
            return true;
        });
        reader.scan(QueueKeys.DEDUP, new byte[0], null, (key, value) -> {
            long queueId = QueueKeys.queueIdOf(key);
            String name = QueueKeys.nameOfRemembered(key);
            switch (key[8]) {
                case QueueKeys.DEDUPLICATION -> book.restoreDeduplication(queueId, name, StoredRecordCodec.decodeDeduplication(value));
                case QueueKeys.RECEIVE_ATTEMPT -> book.restoreReceiveAttempt(queueId, name, StoredRecordCodec.decodeReceiveAttempt(value));
                case QueueKeys.IMPORTED_TRANSFER -> book.restoreImportedTransfer(queueId, name,
                        StoredRecordCodec.decodeImportedTransfer(value));
                default -> throw new CorruptFrameException("unknown remembered record kind " + key[8]);
            }
            return true;
        });
    }
}
