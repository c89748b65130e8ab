package dev.sluice.broker.core;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Reads a queue's state page by page for a migration ({@link QueueExport}): messages in sequence order (so each FIFO
 * group's order), then its live deduplication records in key order, then its live receive attempts by attempt id. A page holds at least one item and stops once
 * it passed {@code maxBytes} (the bodies and attributes as UTF-8, plus a fixed cost per item), so one Raft entry
 * carries it. Meant for a queue that no longer changes (its group refuses every request for it while it moves);
 * called under the engine's read lock.
 */
final class QueueExporter {
    /** What an item costs beyond its bodies: ids, times, counters and framing. */
    static final int ITEM_OVERHEAD_BYTES = 160;

    private QueueExporter() {
    }

    /**
     * @param readMessage the stored message of a sequence number of this queue
     * @param floorHint a sequence number above every one the group has given so far (0 when unknown)
     */
    static QueueExport page(QueueState queue, List<Long> queueIds, FifoMemory fifo, QueueExport.Position from, int maxBytes,
            long nowMillis, long floorHint, LongFunction<StoredMessage> readMessage) {
        List<QueueExport.Message> messages = new ArrayList<>();
        List<QueueExport.Deduplication> deduplications = new ArrayList<>();
        long bytes = 0;
        if (from.phase() == QueueExport.Phase.MESSAGES) {
            long[] seqs = queue.index.allSeqsSorted();
            int start = Arrays.binarySearch(seqs, from.afterSeq());
            start = start >= 0 ? start + 1 : -start - 1;
            for (int i = start; i < seqs.length; i++) {
                if (bytes >= maxBytes) {
                    return new QueueExport(queueIds, messages, List.of(), 0,
                            new QueueExport.Position(QueueExport.Phase.MESSAGES, seqs[i - 1], null));
                }
                MessageMeta meta = queue.index.get(seqs[i]);
                StoredMessage message = readMessage.apply(seqs[i]);
                messages.add(new QueueExport.Message(meta.seq, message, meta.visibleAtMillis, meta.receiveCount,
                        meta.firstReceiveMillis, meta.receiptNonce));
                bytes += sizeOf(message);
            }
            from = new QueueExport.Position(QueueExport.Phase.DEDUPLICATIONS, 0, null);
        }
        if (from.phase() == QueueExport.Phase.DEDUPLICATIONS) {
            for (QueueExport.Deduplication record : fifo.liveSends(queue, nowMillis, from.afterKey())) {
                if (bytes >= maxBytes) {
                    String after = deduplications.isEmpty() ? from.afterKey() : deduplications.get(deduplications.size() - 1).key();
                    return new QueueExport(queueIds, messages, deduplications, 0,
                            new QueueExport.Position(QueueExport.Phase.DEDUPLICATIONS, 0, after));
                }
                deduplications.add(record);
                bytes += ITEM_OVERHEAD_BYTES + utf8Length(record.key());
            }
            from = new QueueExport.Position(QueueExport.Phase.ATTEMPTS, 0, null);
        }
        List<QueueExport.Attempt> attempts = new ArrayList<>();
        for (QueueExport.Attempt attempt : fifo.liveReceives(queue, nowMillis, from.afterKey())) {
            if (bytes >= maxBytes) {
                String after = attempts.isEmpty() ? from.afterKey() : attempts.get(attempts.size() - 1).attemptId();
                return new QueueExport(queueIds, messages, deduplications, 0,
                        new QueueExport.Position(QueueExport.Phase.ATTEMPTS, 0, after), attempts);
            }
            attempts.add(attempt);
            bytes += ITEM_OVERHEAD_BYTES + utf8Length(attempt.attemptId()) + 24L * attempt.attempt().deliveries().size();
        }
        return new QueueExport(queueIds, messages, deduplications, floor(queue, fifo, floorHint), null, attempts);
    }

    /**
     * Above every sequence number the queue has given: those of its messages and of the sends it still remembers
     * (deleted messages within the deduplication interval) and the group's own position, when known. A message
     * deleted before that interval with a larger number than all of these is possible only when {@code floorHint}
     * is unknown (the group restarted and applied nothing since).
     */
    private static long floor(QueueState queue, FifoMemory fifo, long floorHint) {
        long[] seqs = queue.index.allSeqsSorted();
        long floor = Math.max(floorHint, seqs.length == 0 ? 0 : seqs[seqs.length - 1] + 1);
        for (QueueExport.Deduplication record : fifo.liveSends(queue, Long.MIN_VALUE, null)) {
            floor = Math.max(floor, record.record().seq() + 1);
        }
        return floor;
    }

    private static long sizeOf(StoredMessage message) {
        long bytes = ITEM_OVERHEAD_BYTES + utf8Length(message.body());
        for (var attribute : message.messageAttributes().entrySet()) {
            MessageAttributeValue value = attribute.getValue();
            bytes += utf8Length(attribute.getKey()) + utf8Length(value.dataType()) + utf8Length(value.stringValue())
                    + (value.binaryValue() == null ? 0 : value.binaryValue().length);
        }
        return bytes + utf8Length(message.messageGroupId()) + utf8Length(message.messageDeduplicationId())
                + utf8Length(message.traceHeader()) + utf8Length(message.deadLetterSourceArn());
    }

    private static int utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
