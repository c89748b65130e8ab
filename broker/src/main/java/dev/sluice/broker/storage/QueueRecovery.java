package dev.sluice.broker.storage;

import dev.sluice.broker.codec.StoredRecordCodec;
import dev.sluice.broker.core.QueueBook;
import dev.sluice.broker.core.StoredMessage;
import dev.sluice.raftstore.spi.StoreReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Rebuilds a {@link QueueBook} from RocksDB: queues, tombstones and move tasks first, then every
 * message with its delivery state (in key order, so each FIFO group in send order), then the FIFO
 * deduplication and receive-attempt records. Messages are indexed as not yet visible and become ready at the
 * first receive's promotion, which uses the leader-stamped time (recovery itself knows no time).
 */
public final class QueueRecovery {
    private QueueRecovery() {
    }

    public static void load(StoreReader reader, QueueBook book) {
        reader.scan(QueueKeys.QUEUES, QueueKeys.prefix(QueueKeys.QUEUE_PREFIX), null, (key, value) -> {
            book.restoreQueue(StoredRecordCodec.decodeQueue(value));
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
        reader.scan(QueueKeys.MESSAGES, new byte[0], null, (key, value) -> {
            StoredMessage message = StoredRecordCodec.decodeMessage(value);
            long queueId = QueueKeys.queueIdOf(key);
            long seq = QueueKeys.seqOf(key);
            byte[] delivery = reader.get(QueueKeys.DELIVERIES, key);
            book.restoreMessage(queueId, StoredRecordCodec.decodeMeta(seq, message, delivery), message.messageGroupId(),
                    Long.MIN_VALUE);
            return true;
        });
        reader.scan(QueueKeys.DEDUP, new byte[0], null, (key, value) -> {
            long queueId = QueueKeys.queueIdOf(key);
            String name = QueueKeys.nameOfRemembered(key);
            if (key[8] == QueueKeys.DEDUPLICATION) {
                book.restoreDeduplication(queueId, name, StoredRecordCodec.decodeDeduplication(value));
            } else {
                book.restoreReceiveAttempt(queueId, name, StoredRecordCodec.decodeReceiveAttempt(value));
            }
            return true;
        });
    }
}
