package dev.sluice.broker.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The destination side of transfers between groups: imports transferred messages into this
 * group's queues, each once per transfer id while the id is remembered ({@link #REMEMBER_MILLIS}
 * of stamped time, in replicated state like FIFO deduplication ids), so a resend after a crash or a
 * leader change of either group stores no second copy. Past the window a resend would store one
 * extra copy: at-least-once, as SQS promises for moves. Owned by the apply thread.
 */
final class TransferInbox {
    /**
     * How long an imported transfer id is remembered. A source resends a transfer until it has settled
     * it, and settles right after the import answered; only an outage of the source group longer
     * than this between the two can cost a duplicate.
     */
    static final long REMEMBER_MILLIS = 15 * 60_000;
    /** Remembered ids pruned per command at most (one import adds a batch's worth). */
    static final int MAX_PRUNED_PER_COMMAND = 256;

    private final ExpiringRecords<ImportedTransfer> imported = new ExpiringRecords<>();
    private final QueueStorage storage;

    TransferInbox(QueueStorage storage) {
        this.storage = storage;
    }

    void restore(long queueId, String transferId, ImportedTransfer record) {
        imported.put(queueId, transferId, record);
    }

    /**
     * Imports each message at its queue's tail, in the given order (a FIFO group stays in order);
     * returns what became of each.
     */
    List<TransferImport.Outcome> accept(QueueBook book, List<TransferImport> imports, EntryStamp stamp) {
        long now = stamp.nowMillis();
        for (var key : imported.prune(now, MAX_PRUNED_PER_COMMAND)) {
            storage.deleteImportedTransfer(key.queueId(), key.name());
        }
        List<TransferImport.Outcome> outcomes = new ArrayList<>(imports.size());
        for (TransferImport item : imports) {
            QueueState queue = book.byArn(item.destinationArn());
            if (queue == null) {
                outcomes.add(TransferImport.Outcome.NO_SUCH_QUEUE);
            } else if (imported.get(queue.id, item.transferId(), now) != null) {
                outcomes.add(TransferImport.Outcome.ALREADY_IMPORTED);
            } else {
                book.append(queue, item.message(), stamp);
                ImportedTransfer record = new ImportedTransfer(now + REMEMBER_MILLIS);
                imported.put(queue.id, item.transferId(), record);
                storage.putImportedTransfer(queue.id, item.transferId(), record);
                outcomes.add(TransferImport.Outcome.IMPORTED);
            }
        }
        return outcomes;
    }

    int size() {
        return imported.size();
    }
}
