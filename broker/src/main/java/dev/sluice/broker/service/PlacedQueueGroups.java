package dev.sluice.broker.service;

import dev.sluice.clientsdk.SqsError;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link QueueGroups} over placement: a queue's group is its placement's primary partition (where
 * a migrating queue goes, not the group it drains), once that group confirms the queue exists, since
 * placement resolves a missing name too.
 */
public final class PlacedQueueGroups implements QueueGroups {
    private final QueuePlacement placement;
    private final List<EngineQueueClient> groups;

    public PlacedQueueGroups(QueuePlacement placement, List<EngineQueueClient> groups) {
        this.placement = placement;
        this.groups = List.copyOf(groups);
    }

    @Override
    public CompletableFuture<Integer> groupOf(String queueName) {
        return placement.placementOf(queueName).thenCompose(where -> groups.get(where.primary()).exists(queueName)
                .thenApply(exists -> {
                    if (!exists) {
                        throw SqsError.QUEUE_DOES_NOT_EXIST.exception();
                    }
                    return where.primary();
                }));
    }

    @Override
    public int groupCount() {
        return groups.size();
    }
}
