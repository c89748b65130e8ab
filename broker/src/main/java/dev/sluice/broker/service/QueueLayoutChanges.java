package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueAttributeName;
import dev.sluice.broker.core.QueueLayout;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.DeleteQueueRequest;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.clientsdk.model.ListQueueTagsRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Operator actions that change where a queue lives: {@link #partition} spreads it over more data groups, and the
 * first step of a migration ({@link QueueMigrations}) adds its target group. Both copy the queue's settings and tags
 * from its first partition into a new group's queue before the placement record names that group, so no request is
 * ever routed to a group without the queue. A record changed by someone else in between is read again, up to
 * {@link #MAX_ATTEMPTS} times. Thread-safe, never blocks.
 */
public final class QueueLayoutChanges {
    static final int MAX_ATTEMPTS = 3;
    static final QueueLayout SENDS_CLOSED = new QueueLayout(QueueLayout.Fence.SENDS_CLOSED, 0, 0);

    private final List<EngineQueueClient> groups;
    /** Creates a queue's copy in a new group: its RedrivePolicy may name a dead-letter queue in another group. */
    private final CrossGroupCommands crossGroup;
    private final QueuePlacement placement;
    private final String accountId;
    private final Supplier<String> baseUrl;
    private final PartitionLayouts partitionLayouts;

    public QueueLayoutChanges(List<EngineQueueClient> groups, CrossGroupCommands crossGroup, QueuePlacement placement,
            String accountId, Supplier<String> baseUrl) {
        this.groups = groups;
        this.crossGroup = crossGroup;
        this.partitionLayouts = new PartitionLayouts(groups);
        this.placement = placement;
        this.accountId = accountId;
        this.baseUrl = baseUrl;
    }

    /**
     * Spreads the queue over {@code count} partitions (the least-loaded groups it is not in yet). Partitions are only
     * added: fewer would need their messages moved. A FIFO queue must be in high-throughput mode
     * (FifoThroughputLimit=perMessageGroupId, DeduplicationScope=messageGroup: order and deduplication per group,
     * which a hash of MessageGroupId keeps in one partition) and empty, since a new partition count moves groups.
     */
    public CompletableFuture<Placement> partition(String name, int count) {
        if (count < 1 || count > placement.groupCount()) {
            return CompletableFuture.failedFuture(SqsError.INVALID_PARAMETER_VALUE.exception(
                    "A queue may have 1 to " + placement.groupCount() + " partitions (the cluster's data groups)."));
        }
        return partition(name, count, MAX_ATTEMPTS);
    }

    private CompletableFuture<Placement> partition(String name, int count, int attempts) {
        placement.forget(name);
        return placement.placementOf(name).thenCompose(current -> settingsOf(name, current).thenCompose(settings -> {
            if (!current.draining().isEmpty()) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue is being migrated; change its partitions after.");
            }
            if (count < current.partitions().size()) {
                // Lowering is a migration of the last partition into the others (QueueMigrations.partition).
                throw SqsError.INVALID_PARAMETER_VALUE.exception("Partitions are removed one at a time: the queue has "
                        + current.partitions().size() + ".");
            }
            if (count == current.partitions().size()) {
                return CompletableFuture.completedFuture(current);
            }
            settings.checkPartitionable();
            return noLiveDeduplication(name, current, settings).thenCompose(checked -> spread(name, count, attempts, current, settings));
        }));
    }

    /**
     * A FIFO queue's new partition count sends message groups to other partitions, where the deduplication ids of
     * their last five minutes are unknown: a producer's retry would be delivered twice. So it changes only once no
     * group of the queue remembers one.
     */
    private CompletableFuture<Void> noLiveDeduplication(String name, Placement current, Settings settings) {
        if (!settings.fifo()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Boolean>> remembered = current.groups().stream()
                .map(group -> groups.get(group).remembersDeduplication(name)).toList();
        return CompletableFuture.allOf(remembered.toArray(CompletableFuture[]::new)).thenAccept(all -> {
            if (remembered.stream().anyMatch(CompletableFuture::join)) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("A FIFO queue's partitions can change only after its "
                        + "deduplication interval (5 minutes) passed without a send: the new count moves message groups.");
            }
        });
    }

    private CompletableFuture<Placement> spread(String name, int count, int attempts, Placement current, Settings settings) {
        List<Integer> partitions = new ArrayList<>(current.partitions());
        Set<Integer> taken = new HashSet<>(current.groups());
        while (partitions.size() < count) {
            int next = placement.leastLoadedExcept(taken);
            partitions.add(next);
            taken.add(next);
        }
        List<Integer> added = List.copyOf(partitions.subList(current.partitions().size(), partitions.size()));
        Placement updated = new Placement(current.home(), partitions, current.draining());
        Supplier<CompletableFuture<Placement>> record = () -> recorded(name, added, current, updated,
                () -> retry(attempts, () -> partition(name, count, attempts - 1)));
        if (!settings.fifo()) {
            return createIn(added, name, settings).thenCompose(created -> record.get());
        }
        return createIn(added, name, settings).thenCompose(created -> fencedRecord(name, current, partitions, record))
                .exceptionallyCompose(failure -> restoreLayouts(name, added, failure));
    }

    /**
     * A high-throughput FIFO queue's new partition count, fenced: every partition is told its index under the new
     * count before the placement changes, so from then on a partition refuses a message group that the new count puts
     * elsewhere (a node still hashing by the old count, before or after the switch, is refused and retries once its
     * placement is read again). Then the preconditions are checked once more: a send that arrived under the old count
     * before its partition was told is in the counts now. The fence does not make either precondition unnecessary:
     * messages already stored under the old count would be delivered out of order with their group's new partition
     * (so: empty), and the deduplication ids a group's old partition remembers are unknown to its new one (so: none
     * live). It makes them exact instead of racy.
     */
    private CompletableFuture<Placement> fencedRecord(String name, Placement current, List<Integer> partitions,
            Supplier<CompletableFuture<Placement>> record) {
        return partitionLayouts.tell(name, partitions)
                .thenCompose(told -> settingsOf(name, current))
                .thenCompose(after -> {
                    after.checkPartitionable();
                    return noLiveDeduplication(name, current, after);
                })
                .thenCompose(checked -> record.get());
    }

    /**
     * A fenced FIFO partition change that failed: the partitions are told the count of the placement as it is now,
     * and queues it created in groups that placement does not name are deleted. Then the failure is the answer.
     */
    private CompletableFuture<Placement> restoreLayouts(String name, List<Integer> added, Throwable failure) {
        placement.forget(name);
        return placement.placementOf(name)
                .thenCompose(now -> partitionLayouts.tell(name, now.partitions()).thenCompose(told -> deleteOutside(name, added, now)))
                .handle((restored, error) -> {
                    throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
                });
    }

    /**
     * A migration's start: {@code target} takes the place of the partition in group {@code from} (null: the queue's
     * only partition), which drains. A partition of a partitioned standard queue moves the same way as a whole queue.
     */
    CompletableFuture<Placement> startMigration(String name, Integer from, int target) {
        return startMigration(name, from, target, MAX_ATTEMPTS);
    }

    private CompletableFuture<Placement> startMigration(String name, Integer from, int target, int attempts) {
        placement.forget(name);
        return placement.placementOf(name).thenCompose(current -> {
            // Checked before the settings are read: those ask every group, and a draining one may just have been deleted.
            int source = movedPartition(current, from, target);
            return settingsOf(name, current).thenCompose(settings -> {
                // FIFO queues never come here: QueueMigrations.start copies them (order and deduplication need a frozen copy).
                List<Integer> partitions = new ArrayList<>(current.partitions());
                partitions.set(partitions.indexOf(source), target);
                Placement updated = new Placement(current.home(), partitions, List.of(source));
                return createIn(List.of(target), name, settings)
                        .thenCompose(created -> recorded(name, List.of(target), current, updated,
                                () -> retry(attempts, () -> startMigration(name, from, target, attempts - 1))))
                        // A fence that failed here is not the start's failure: the switch stands, and the worker fences the
                        // old group again before it deletes the drained queue, the one moment the fence must hold.
                        .thenCompose(placed -> fenceSends(name, placed.draining()).handle((fenced, error) -> placed));
            });
        });
    }

    /**
     * Closes the draining groups' queue to sends (SENDS_CLOSED), so that a node still routing by a placement cached
     * before the switch is refused there and retries in the new group. After the switch, not before: a crash between
     * the two must not leave a queue that refuses every send while the placement still names it alone. A send that
     * reaches the old group in between is stored there and moved like any other message; the fence has to hold only
     * when the migration deletes the drained queue, and the worker sets it again (idempotent) before that delete.
     */
    CompletableFuture<Void> fenceSends(String name, List<Integer> draining) {
        return CompletableFuture.allOf(draining.stream().map(group -> groups.get(group).setLayout(name, SENDS_CLOSED))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Records {@code updated} if the placement still is {@code current}. When another change came first, the queues
     * this one created in {@code added} groups that the winner's record does not name are deleted before trying again:
     * no request reaches them, and left alone they would outlive the queue (ListQueues lists every group's names).
     */
    private CompletableFuture<Placement> recorded(String name, List<Integer> added, Placement current, Placement updated,
            Supplier<CompletableFuture<Placement>> again) {
        return placement.replace(name, current, updated).thenCompose(replaced -> {
            if (replaced) {
                return CompletableFuture.completedFuture(updated);
            }
            return placement.placementOf(name).thenCompose(winner -> deleteOutside(name, added, winner))
                    .thenCompose(removed -> again.get());
        });
    }

    /** Deletes the queues this change created in {@code added} groups that {@code winner} does not name. */
    private CompletableFuture<Void> deleteOutside(String name, List<Integer> added, Placement winner) {
        String url = QueueUrl.ofQualified(name, accountId).toUrl(baseUrl.get());
        return CompletableFuture.allOf(added.stream().filter(group -> !winner.groups().contains(group))
                .map(group -> groups.get(group).deleteQueue(new DeleteQueueRequest(url)))
                .toArray(CompletableFuture[]::new));
    }

    private static <T> CompletableFuture<T> retry(int attempts, Supplier<CompletableFuture<T>> again) {
        if (attempts <= 1) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue's placement changed concurrently; retry.");
        }
        return again.get();
    }

    /**
     * A queue's settable attributes and tags, read from its first partition (QueueDoesNotExist if it has none), and
     * its messages (visible, in flight and delayed) summed over its groups.
     */
    record Settings(Map<String, String> attributes, Map<String, String> tags, long messages) {
        boolean fifo() {
            return "true".equals(attributes.get("FifoQueue"));
        }

        void checkPartitionable() {
            if (fifo() && !("perMessageGroupId".equals(attributes.get("FifoThroughputLimit"))
                    && "messageGroup".equals(attributes.get("DeduplicationScope")))) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("Only a high-throughput FIFO queue (FifoThroughputLimit="
                        + "perMessageGroupId, DeduplicationScope=messageGroup) can be partitioned.");
            }
            if (fifo() && messages > 0) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("A FIFO queue's partitions can only change while it is "
                        + "empty: a new partition count moves message groups between partitions.");
            }
        }
    }

    private static final List<String> COUNTS = List.of("ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed");

    private CompletableFuture<Settings> settingsOf(String name, Placement current) {
        EngineQueueClient primary = groups.get(current.primary());
        String url = QueueUrl.ofQualified(name, accountId).toUrl(baseUrl.get());
        List<CompletableFuture<Long>> counts = current.groups().stream().map(group -> groups.get(group)
                .getQueueAttributes(new GetQueueAttributesRequest(url, COUNTS))
                .thenApply(answer -> answer.attributes().values().stream().mapToLong(Long::parseLong).sum())).toList();
        return primary.getQueueAttributes(new GetQueueAttributesRequest(url, List.of("All"))).thenCombine(
                primary.listQueueTags(new ListQueueTagsRequest(url)), (attributes, tags) -> {
                    Map<String, String> settable = new LinkedHashMap<>();
                    attributes.attributes().forEach((key, value) -> {
                        QueueAttributeName known = QueueAttributeName.ofWireName(key);
                        if (known != null && known.settable()) {
                            settable.put(key, value);
                        }
                    });
                    return new Settings(settable, tags.tags(), 0);
                }).thenCombine(CompletableFuture.allOf(counts.toArray(CompletableFuture[]::new)), (settings, all) ->
                        new Settings(settings.attributes(), settings.tags(), counts.stream().mapToLong(CompletableFuture::join).sum()));
    }

    /**
     * Whether {@code name}'s partition in group {@code from} (null: its only one) can be moved to {@code target} by copy
     * (a FIFO queue's migration, see {@link QueueCopyMigration}); answers the group it is in. The same rules as a drain:
     * not moving already, to a group that does not hold the queue. A partition of a high-throughput FIFO queue moves the
     * same way as a whole queue: its message groups are frozen and copied with their order and deduplication ids, and
     * the copy takes the partition's place (same index, so the same groups hash to it). A dead-letter queue with sources
     * moves too: sources in its old group send their dead letters through the outbox while it is fenced, and are marked
     * as having a remote dead-letter queue when its old copy is deleted.
     */
    CompletableFuture<Integer> checkCopyable(String name, Integer from, int target) {
        placement.forget(name);
        return placement.placementOf(name).thenCompose(current -> groups.get(current.primary()).exists(name).thenCompose(exists -> {
            if (!exists) {
                throw SqsError.QUEUE_DOES_NOT_EXIST.exception();
            }
            return CompletableFuture.completedFuture(movedPartition(current, from, target));
        }));
    }

    /**
     * The group of the partition that moves: {@code from}, which must be one of the queue's partitions, or (null) the
     * queue's only one. Not while it moves already, nor to a group that holds it.
     */
    private static int movedPartition(Placement current, Integer from, int target) {
        if (!current.draining().isEmpty()) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue is already being migrated.");
        }
        if (current.groups().contains(target)) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue is already in that group.");
        }
        if (from == null) {
            if (current.partitions().size() != 1) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue has " + current.partitions().size()
                        + " partitions: say which one moves (fromGroup).");
            }
            return current.primary();
        }
        if (!current.partitions().contains(from)) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue has no partition in data-" + from + ".");
        }
        return from;
    }

    /**
     * Lowers a standard queue's partition count by one: its last partition leaves the placement and drains (fenced
     * SENDS_CLOSED) into the partition {@link #drainTarget} picks, as a migration does; the caller records that
     * migration. Answers the placement and the partition that drains into.
     */
    CompletableFuture<Placement> removeLastPartition(String name, int count) {
        placement.forget(name);
        return placement.placementOf(name).thenCompose(current -> {
            if (PartitionedQueue.isFifo(name)) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("A FIFO queue's partition count can only be raised: its "
                        + "message groups are hashed to partitions, and fewer partitions would move groups with messages.");
            }
            if (!current.draining().isEmpty()) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue is being migrated; change its partitions after.");
            }
            if (count != current.partitions().size() - 1) {
                throw SqsError.INVALID_PARAMETER_VALUE.exception("Partitions are removed one at a time: the queue has "
                        + current.partitions().size() + ", so the next count is " + (current.partitions().size() - 1) + ".");
            }
            List<Integer> partitions = current.partitions();
            int removed = partitions.get(partitions.size() - 1);
            Placement updated = new Placement(current.home(), partitions.subList(0, partitions.size() - 1), List.of(removed));
            return placement.replace(name, current, updated).thenCompose(replaced -> {
                if (!replaced) {
                    throw SqsError.INVALID_PARAMETER_VALUE.exception("The queue's placement changed concurrently; retry.");
                }
                // As for a migration: fenced after the switch, and again by the worker before it deletes the drained queue.
                return fenceSends(name, updated.draining()).handle((fenced, error) -> updated);
            });
        });
    }

    /** The queue's placement as recorded now (not this node's cached copy). */
    CompletableFuture<Placement> freshPlacement(String name) {
        placement.forget(name);
        return placement.placementOf(name);
    }

    /** The remaining partition a removed one drains into: the least loaded of them. */
    int drainTarget(Placement lowered) {
        Set<Integer> others = new HashSet<>(lowered.draining());
        for (int group = 0; group < placement.groupCount(); group++) {
            if (!lowered.partitions().contains(group)) {
                others.add(group);
            }
        }
        return placement.leastLoadedExcept(others);
    }

    /** Creates the queue {@code name} of group {@code from} in group {@code to}, with the same settings and tags. */
    CompletableFuture<Void> createCopy(String name, int from, int to) {
        return settingsOf(name, Placement.single(from)).thenCompose(settings -> createIn(List.of(to), name, settings));
    }

    /**
     * Creates the queue in each of {@code targets} as CreateQueue does across groups: a dead-letter queue its
     * RedrivePolicy names in another group is verified there and recorded as remote, where the plain command would
     * look for it in the target group alone and refuse the copy (QueueDoesNotExist), so a source queue could never
     * leave its dead-letter queue's group.
     */
    private CompletableFuture<Void> createIn(List<Integer> targets, String name, Settings settings) {
        List<CompletableFuture<?>> creates = new ArrayList<>();
        for (int target : targets) {
            creates.add(crossGroup.createQueue(target, new CreateQueueRequest(name, settings.attributes(), settings.tags())));
        }
        return CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new));
    }
}
