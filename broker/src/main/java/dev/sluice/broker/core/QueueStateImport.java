package dev.sluice.broker.core;

import dev.sluice.clientsdk.MessageSize;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores a page of a queue migrated from another group ({@link QueueExport}) into the queue created for it here:
 * each message under its old sequence number with its delivery state (so FIFO groups keep their order and receipt
 * handles issued in the old group keep matching), the live deduplication records and receive attempts, and the queue's lineage (its old
 * ids and how far to lift its sequence numbers). Idempotent: a message whose sequence number the queue already holds
 * is skipped, a record is put again as it was, and once the last page sealed the import nothing is stored at all. The
 * queue is not reachable by clients while it is being filled (no placement names it yet), so "already held" can only
 * mean "imported before", never "received and deleted here". Called by the apply thread.
 */
final class QueueStateImport {
    private QueueStateImport() {
    }

    static int apply(QueueState queue, QueueExport page, FifoMemory fifo, QueueStorage storage, EntryStamp stamp) {
        if (queue.lineage.sealed()) {
            return 0;
        }
        long now = stamp.nowMillis();
        int stored = 0;
        for (QueueExport.Message item : page.messages()) {
            if (queue.index.get(item.seq()) != null) {
                continue;
            }
            StoredMessage message = item.message();
            MessageMeta meta = new MessageMeta(item.seq(), message.retainedSinceMillis(), item.visibleAtMillis(),
                    item.receiveCount(), item.firstReceiveMillis(), item.receiptNonce(),
                    (int) MessageSize.of(message.body(), message.messageAttributes()));
            storage.putMessage(queue.id, item.seq(), message);
            if (item.receiveCount() > 0 || item.visibleAtMillis() != message.firstVisibleAtMillis()) {
                storage.putDelivery(queue.id, item.seq(), meta);
            }
            queue.index.add(meta, message.messageGroupId(), now);
            // The caller billed the queue's bytes up to this entry (QueueBook#importState).
            queue.storedBytes += meta.payloadBytes;
            stored++;
        }
        for (QueueExport.Deduplication item : page.deduplications()) {
            fifo.importSend(queue, item.key(), item.record(), now);
        }
        for (QueueExport.Attempt item : page.attempts()) {
            fifo.importReceive(queue, item.attemptId(), item.attempt(), now);
        }
        queue.lineage = lineage(queue, page, stamp);
        storage.putLineage(queue.name, queue.lineage);
        return stored;
    }

    /**
     * The old ids join the queue's former ids; the sequence offset lifts this group's next sequence number (larger
     * for every later entry) above the page's floor, and never comes down.
     */
    private static QueueLineage lineage(QueueState queue, QueueExport page, EntryStamp stamp) {
        List<Long> ids = new ArrayList<>(queue.lineage.formerIds());
        for (long id : page.queueIds()) {
            if (id != queue.id && !ids.contains(id)) {
                ids.add(id);
            }
        }
        long lift = Math.max(0, page.sequenceFloor() - stamp.sequence());
        return new QueueLineage(ids, Math.max(queue.lineage.sequenceOffset(), lift), page.last());
    }
}
