package dev.sluice.broker.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The durable side of the queue engine, as the core sees it. Implemented over the Raft entry's
 * RocksDB batch: every write of one command commits with the entry; reads see earlier writes of the
 * same entry.
 */
public interface QueueStorage {

    void putQueue(QueueRecord record);

    void deleteQueue(String name);

    void putTombstone(String name, long deletedAtMillis);

    void deleteTombstone(String name);

    void putMessage(long queueId, long seq, StoredMessage message);

    StoredMessage readMessage(long queueId, long seq);

    /**
     * The stored messages of several sequence numbers of one queue, in their order: what {@link #readMessage} answers
     * for each, in one read where the storage can (a receive reads all the bodies it takes at once). The caller bounds
     * the number of sequence numbers.
     */
    default List<StoredMessage> readMessages(long queueId, long[] seqs) {
        List<StoredMessage> messages = new ArrayList<>(seqs.length);
        for (long seq : seqs) {
            messages.add(readMessage(queueId, seq));
        }
        return messages;
    }

    /** The receive-side state of a message (count, first receive, visibility, nonce). */
    void putDelivery(long queueId, long seq, MessageMeta meta);

    void deleteMessage(long queueId, long seq);

    void putMoveTask(MoveTask task);

    /** A FIFO send's deduplication record under its key (see {@code FifoMemory}). */
    void putDeduplication(long queueId, String key, DeduplicationRecord record);

    void deleteDeduplication(long queueId, String key);

    void putReceiveAttempt(long queueId, String attemptId, ReceiveAttempt attempt);

    void deleteReceiveAttempt(long queueId, String attemptId);

    /** A message in this group's outbox, on its way to another group (see {@code TransferOutbox}). */
    void putTransfer(Transfer transfer);

    void deleteTransfer(long seq);

    /** A transfer id a destination queue imported, with its expiry (see {@code TransferInbox}). */
    void putImportedTransfer(long queueId, String transferId, ImportedTransfer record);

    void deleteImportedTransfer(long queueId, String transferId);

    /** Marks a queue whose dead-letter queue the router verified in another group. */
    void putRemoteDeadLetterTarget(String queueName);

    void deleteRemoteDeadLetterTarget(String queueName);

    /** Where a queue migrated into this group came from (see {@code QueueLineage}). */
    void putLineage(String queueName, QueueLineage lineage);

    void deleteLineage(String queueName);

    /**
     * Up to which leader time a queue's stored bytes are billed, and the byte-milliseconds carried below one byte-hour
     * (see {@link ByteHours}): replicated state, so a replica rebuilt from storage bills on exactly as before.
     */
    void putAccrual(long queueId, long accruedUntilMillis, long carryByteMillis);

    void deleteAccrual(long queueId);
}
