package dev.sluice.broker.service;

import dev.sluice.clientsdk.SqsError;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Placement as a map the test fills: a queue not in it does not exist. */
record FixedQueueGroups(Map<String, Integer> placement, int groupCount) implements QueueGroups {
    @Override
    public CompletableFuture<Integer> groupOf(String queueName) {
        Integer group = placement.get(queueName);
        return group == null ? CompletableFuture.failedFuture(SqsError.QUEUE_DOES_NOT_EXIST.exception())
                : CompletableFuture.completedFuture(group);
    }
}
