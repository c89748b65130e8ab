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

    /**
     * A queue missing where the cached placement says is looked up once more with the placement read afresh: a queue
     * migrated in the last seconds (the old group's copy already deleted) is then found where it went, instead of a
     * transfer bound for it being returned to its source as if the queue did not exist.
     */
    @Override
    public CompletableFuture<Integer> groupOf(String queueName) {
        return placement.placementOf(queueName).thenCompose(cached -> existsAt(cached.primary(), queueName).thenCompose(found -> {
            if (found) {
                return CompletableFuture.completedFuture(cached.primary());
            }
            placement.forget(queueName);
            return placement.placementOf(queueName).thenCompose(fresh -> fresh.primary() == cached.primary()
                    ? CompletableFuture.<Integer>failedFuture(SqsError.QUEUE_DOES_NOT_EXIST.exception())
                    : existsAt(fresh.primary(), queueName).thenApply(exists -> {
                        if (!exists) {
                            throw SqsError.QUEUE_DOES_NOT_EXIST.exception();
                        }
                        return fresh.primary();
                    }));
        }));
    }

    private CompletableFuture<Boolean> existsAt(int group, String queueName) {
        return groups.get(group).exists(queueName);
    }

    @Override
    public int groupCount() {
        return groups.size();
    }
}
