package dev.sluice.broker.core;

import java.util.HashMap;
import java.util.Map;

/** A map-backed QueueStorage for testing the core rules without RocksDB. */
final class InMemoryQueueStorage implements QueueStorage {
    final Map<String, QueueRecord> queues = new HashMap<>();
    final Map<String, StoredMessage> messages = new HashMap<>();
    final Map<String, MessageMeta> deliveries = new HashMap<>();
    final Map<String, MoveTask> moveTasks = new HashMap<>();
    final Map<String, DeduplicationRecord> deduplications = new HashMap<>();
    final Map<String, ReceiveAttempt> receiveAttempts = new HashMap<>();
    final Map<Long, Transfer> transfers = new HashMap<>();
    final Map<String, ImportedTransfer> importedTransfers = new HashMap<>();
    final java.util.Set<String> remoteDeadLetterTargets = new java.util.HashSet<>();
    final Map<String, QueueLineage> lineages = new HashMap<>();
    /** Per queue id: up to when its stored bytes are billed, and the carried byte-milliseconds. */
    final Map<Long, long[]> accruals = new HashMap<>();

    private static String key(long queueId, long seq) {
        return queueId + "/" + seq;
    }

    @Override
    public void putQueue(QueueRecord record) {
        queues.put(record.name(), record);
    }

    @Override
    public void deleteQueue(String name) {
        queues.remove(name);
    }

    @Override
    public void putTombstone(String name, long deletedAtMillis) {
    }

    @Override
    public void deleteTombstone(String name) {
    }

    @Override
    public void putMessage(long queueId, long seq, StoredMessage message) {
        messages.put(key(queueId, seq), message);
    }

    @Override
    public StoredMessage readMessage(long queueId, long seq) {
        return messages.get(key(queueId, seq));
    }

    @Override
    public void putDelivery(long queueId, long seq, MessageMeta meta) {
        deliveries.put(key(queueId, seq), meta);
    }

    @Override
    public void deleteMessage(long queueId, long seq) {
        messages.remove(key(queueId, seq));
        deliveries.remove(key(queueId, seq));
    }

    @Override
    public void putMoveTask(MoveTask task) {
        moveTasks.put(task.handle(), task);
    }

    @Override
    public void putDeduplication(long queueId, String key, DeduplicationRecord record) {
        deduplications.put(queueId + "/" + key, record);
    }

    @Override
    public void deleteDeduplication(long queueId, String key) {
        deduplications.remove(queueId + "/" + key);
    }

    @Override
    public void putReceiveAttempt(long queueId, String attemptId, ReceiveAttempt attempt) {
        receiveAttempts.put(queueId + "/" + attemptId, attempt);
    }

    @Override
    public void deleteReceiveAttempt(long queueId, String attemptId) {
        receiveAttempts.remove(queueId + "/" + attemptId);
    }

    @Override
    public void putTransfer(Transfer transfer) {
        transfers.put(transfer.seq(), transfer);
    }

    @Override
    public void deleteTransfer(long seq) {
        transfers.remove(seq);
    }

    @Override
    public void putImportedTransfer(long queueId, String transferId, ImportedTransfer record) {
        importedTransfers.put(queueId + "/" + transferId, record);
    }

    @Override
    public void deleteImportedTransfer(long queueId, String transferId) {
        importedTransfers.remove(queueId + "/" + transferId);
    }

    @Override
    public void putRemoteDeadLetterTarget(String queueName) {
        remoteDeadLetterTargets.add(queueName);
    }

    @Override
    public void deleteRemoteDeadLetterTarget(String queueName) {
        remoteDeadLetterTargets.remove(queueName);
    }

    @Override
    public void putLineage(String queueName, QueueLineage lineage) {
        lineages.put(queueName, lineage);
    }

    @Override
    public void deleteLineage(String queueName) {
        lineages.remove(queueName);
    }

    @Override
    public void putAccrual(long queueId, long accruedUntilMillis, long carryByteMillis) {
        accruals.put(queueId, new long[] {accruedUntilMillis, carryByteMillis});
    }

    @Override
    public void deleteAccrual(long queueId) {
        accruals.remove(queueId);
    }
}
