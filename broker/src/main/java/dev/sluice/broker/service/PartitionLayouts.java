package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Tells each partition of a high-throughput FIFO queue its index and the queue's partition count (a
 * {@link QueueLayout}), so that a partition refuses a send of a message group it does not hold under that count: a
 * node whose cached placement still has the old count would otherwise store the group in the wrong partition, behind
 * or ahead of its other messages. The router hashes with the same {@link QueueLayout#partitionOf}. Standard queues
 * are not told anything: any partition may hold any of their messages. Thread-safe, never blocks.
 */
final class PartitionLayouts {
    private final List<EngineQueueClient> groups;

    PartitionLayouts(List<EngineQueueClient> groups) {
        this.groups = groups;
    }

    /** Sets partition {@code i} of {@code partitions} to (i, count); a FIFO queue in one partition is left open. */
    CompletableFuture<Void> tell(String name, List<Integer> partitions) {
        if (!PartitionedQueue.isFifo(name)) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> told = new ArrayList<>();
        for (int index = 0; index < partitions.size(); index++) {
            QueueLayout layout = partitions.size() == 1 ? QueueLayout.OPEN
                    : new QueueLayout(QueueLayout.Fence.OPEN, index, partitions.size());
            told.add(groups.get(partitions.get(index)).setLayout(name, layout));
        }
        return CompletableFuture.allOf(told.toArray(CompletableFuture[]::new));
    }
}
