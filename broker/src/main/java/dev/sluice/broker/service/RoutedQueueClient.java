package dev.sluice.broker.service;

import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.core.QueueBook;
import dev.sluice.broker.core.QueueSettings;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.*;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The in-process {@link QueueClient} over every data group: resolves each request's queue to its group through
 * {@link QueuePlacement} and hands it to that group's {@link EngineQueueClient}; lists (ListQueues,
 * ListDeadLetterSourceQueues) merge the groups' sorted names, so paging stays by name and stable however queues
 * are spread. Any node serves any queue: each group's client reaches that group's leader, and a long poll waits on
 * this node's replica of the group, where that queue's messages are. Thread-safe, never blocks.
 */
public final class RoutedQueueClient implements QueueClient {
    private final List<EngineQueueClient> groups;
    private final QueuePlacement placement;
    private final QueueAttributeCodec attributes;
    private final String accountId;
    private final PartitionedQueue partitioned;
    /** Commands whose dead-letter queue or move destination may be in another group (verified there first). */
    private final CrossGroupCommands crossGroup;
    /** Runs again what a group refused because this node's cached placement was stale. */
    private final StalePlacementRetry retry;
    private final PartitionLayouts partitionLayouts;

    /** {@code timers}: for the backoff of a retry whose placement has not changed yet (see {@link StalePlacementRetry}). */
    public RoutedQueueClient(List<EngineQueueClient> groups, QueuePlacement placement, QueueAttributeCodec attributes,
            String region, String accountId, ReceiveWaiters waiters, ScheduledExecutorService timers) {
        if (groups.size() != placement.groupCount()) {
            throw new IllegalArgumentException(groups.size() + " group clients for " + placement.groupCount() + " groups");
        }
        this.groups = List.copyOf(groups);
        this.placement = placement;
        this.attributes = attributes;
        this.accountId = accountId;
        this.partitioned = new PartitionedQueue(this.groups, waiters, placement::forget,
                new RelocatedHandles(placement::latestMigration));
        this.retry = new StalePlacementRetry(this::placementOf, placement::forget, timers);
        this.partitionLayouts = new PartitionLayouts(this.groups);
        List<EngineQueueClient> all = this.groups;
        this.crossGroup = new CrossGroupCommands(new PlacedQueueGroups(placement, all), all::get, attributes, region, accountId);
    }

    private RoutedQueueClient(RoutedQueueClient routed, Predicate<String> listed) {
        this.groups = routed.groups.stream().map(group -> group.listing(listed)).toList();
        this.placement = routed.placement;
        this.attributes = routed.attributes;
        this.accountId = routed.accountId;
        this.partitioned = new PartitionedQueue(this.groups, routed.partitioned);
        this.crossGroup = routed.crossGroup;
        this.retry = routed.retry;
        this.partitionLayouts = routed.partitionLayouts;
    }

    /** This client with lists that contain only the queues {@code listed} takes (see {@link EngineQueueClient#listing}). */
    public RoutedQueueClient listing(Predicate<String> listed) {
        return new RoutedQueueClient(this, listed);
    }

    /** Where a queue's name lives, as placement records it (a missing queue resolves too). */
    public CompletableFuture<Placement> placementOf(String queueName) {
        return available(placement.placementOf(queueName));
    }

    /**
     * The access Policy of queue {@code name} (a qualified name) as this node holds it: the placement this node caches
     * and its replica of the queue's group ({@link EngineQueueClient#policyOf}), so checking a request adds no cluster
     * read to it. A partitioned queue's settings are alike in every partition: its primary's answer. Empty for a
     * missing queue.
     */
    public CompletableFuture<java.util.Optional<String>> policyOf(String name) {
        if (groups.size() == 1) {
            return groups.get(0).policyOf(name);
        }
        return available(placement.placementOf(name))
                .thenCompose(where -> groups.get(where.isSingle() ? where.home() : where.primary()).policyOf(name));
    }

    // ---- queues ----

    /**
     * Claims the name's group first (see {@link QueuePlacement#claim}). A queue whose RedrivePolicy names a dead-letter
     * queue goes to that queue's group, so its redrive stays one atomic apply; any other to the least-loaded group.
     */
    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        String name = request.queueName();
        String deadLetterQueue = deadLetterQueueOf(name, request.attributes());
        CompletableFuture<Placement> claimed = deadLetterQueue == null
                ? placement.claim(name, this::existsInLegacyGroup)
                : placement.placementOf(deadLetterQueue).thenCompose(target -> placement.claim(name, this::existsInLegacyGroup,
                        target::primary));
        return available(claimed).thenCompose(where -> where.isSingle() ? crossGroup.createQueue(where.home(), request)
                // A name whose partitioned queue was deleted is created again in all its partitions, each told its index.
                : partitioned.everywhere(new Placement(where.home(), where.partitions(), List.of()),
                        group -> crossGroup.createQueue(groups.indexOf(group), request))
                        .thenCompose(created -> partitionLayouts.tell(name, where.partitions()).thenApply(told -> created)));
    }

    private CompletableFuture<Boolean> existsInLegacyGroup(String name) {
        return groups.get(QueuePlacement.LEGACY_GROUP).exists(name);
    }

    /** The dead-letter queue a RedrivePolicy among {@code requested} names; null when none (or invalid: the engine answers). */
    private String deadLetterQueueOf(String name, Map<String, String> requested) {
        if (requested == null || requested.get("RedrivePolicy") == null) {
            return null;
        }
        Map<String, String> redrive = new HashMap<>(Map.of("RedrivePolicy", requested.get("RedrivePolicy")));
        if (PartitionedQueue.isFifo(name)) {
            redrive.put("FifoQueue", "true");
        }
        try {
            QueueSettings.RedrivePolicy policy = attributes.forCreate(name, redrive).redrivePolicy();
            return policy == null ? null : QueueBook.nameOfArn(policy.deadLetterTargetArn(), accountId);
        } catch (SqsException invalid) {
            return null; // the group's engine gives the answer
        }
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        String name = request.queueOwnerAwsAccountId() == null ? request.queueName()
                : new QueueUrl(request.queueOwnerAwsAccountId(), request.queueName()).qualifiedName(accountId);
        return at(name, (where, group) -> group.getQueueUrl(request), null);
    }

    @Override
    public CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request) {
        if (groups.size() == 1) {
            return groups.get(0).listQueues(request);
        }
        EngineQueueClient.Paging paging;
        try {
            paging = groups.get(0).paging(request.maxResults(), request.nextToken());
        } catch (SqsException invalid) {
            return CompletableFuture.failedFuture(invalid);
        }
        return QueueNameMerge.first(groups, paging.limit() + 1, paging.startAfter(),
                (group, after, wanted) -> group.listedNames(request.queueNamePrefix(), after, wanted)).thenApply(paging::listQueues);
    }

    @Override
    public CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request) {
        return changing(request.queueUrl(), (where, group) -> group.deleteQueue(request),
                (where, name) -> partitioned.everywhere(where, group -> group.deleteQueue(request)));
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return atUrl(request.queueUrl(), (where, group) -> group.getQueueAttributes(request),
                (where, name) -> partitioned.attributes(where, request));
    }

    @Override
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request) {
        return changing(request.queueUrl(), (where, group) -> crossGroup.setQueueAttributes(groups.indexOf(group), request),
                (where, name) -> partitioned.everywhere(where, group -> crossGroup.setQueueAttributes(groups.indexOf(group), request)));
    }

    @Override
    public CompletableFuture<TagQueueResponse> tagQueue(TagQueueRequest request) {
        return changing(request.queueUrl(), (where, group) -> group.tagQueue(request),
                (where, name) -> partitioned.everywhere(where, group -> group.tagQueue(request)));
    }

    @Override
    public CompletableFuture<UntagQueueResponse> untagQueue(UntagQueueRequest request) {
        return changing(request.queueUrl(), (where, group) -> group.untagQueue(request),
                (where, name) -> partitioned.everywhere(where, group -> group.untagQueue(request)));
    }

    @Override
    public CompletableFuture<ListQueueTagsResponse> listQueueTags(ListQueueTagsRequest request) {
        return atUrl(request.queueUrl(), (where, group) -> group.listQueueTags(request),
                (where, name) -> groups.get(where.primary()).listQueueTags(request));
    }

    /**
     * Up to {@code limit} of the queue's oldest messages, read without receiving them: nothing about them changes. A
     * queue spread over several groups is read in each, and the oldest by send time of all are kept.
     */
    public CompletableFuture<List<dev.sluice.broker.core.PeekedMessage>> peek(String queueUrl, int limit) {
        String name;
        try {
            name = nameOf(queueUrl);
        } catch (SqsException missing) {
            return CompletableFuture.failedFuture(missing);
        }
        return atUrl(queueUrl, (where, group) -> group.peek(name, limit), (where, ignored) -> {
            List<CompletableFuture<List<dev.sluice.broker.core.PeekedMessage>>> reads = where.groups().stream()
                    .map(index -> groups.get(index).peek(name, limit)).toList();
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> reads.stream()
                    .flatMap(read -> read.join().stream())
                    .sorted(java.util.Comparator.comparingLong(peeked -> peeked.message().sentMillis()))
                    .limit(limit).toList());
        });
    }

    @Override
    public CompletableFuture<PurgeQueueResponse> purgeQueue(PurgeQueueRequest request) {
        return changing(request.queueUrl(), (where, group) -> group.purgeQueue(request),
                (where, name) -> partitioned.everywhere(where, group -> group.purgeQueue(request)));
    }

    /** The dead-letter queue's own group checks that it exists; sources may live in any group. */
    @Override
    public CompletableFuture<ListDeadLetterSourceQueuesResponse> listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest request) {
        if (groups.size() == 1) {
            return groups.get(0).listDeadLetterSourceQueues(request);
        }
        String name;
        EngineQueueClient.Paging paging;
        try {
            name = nameOf(request.queueUrl());
            paging = groups.get(0).paging(request.maxResults(), request.nextToken());
        } catch (SqsException invalid) {
            return CompletableFuture.failedFuture(invalid);
        }
        return at(name, (where, owner) -> owner.deadLetterSourceNames(name), null)
                .thenCompose(own -> merged(group -> group.deadLetterSourcesOf(name)))
                .thenApply(names -> paging.deadLetterSources(names.stream().distinct().toList()));
    }

    // ---- messages ----

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        return atUrl(request.queueUrl(), (where, group) -> group.sendMessage(request),
                (where, name) -> partitioned.send(where, name, request));
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return atUrl(request.queueUrl(), (where, group) -> group.sendMessageBatch(request),
                (where, name) -> partitioned.sendBatch(where, name, request));
    }

    /**
     * A long poll run again where the placement now points (see {@link StalePlacementRetry}) waits only what is left of
     * the client's WaitTimeSeconds: started over, it would answer late, past the SDK's read timeout, and the client's
     * retry would leave the messages the late answer took out of sight with nobody holding them.
     */
    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        long startedMillis = WaitClock.millis();
        return atUrl(request.queueUrl(), (where, group) -> group.receiveMessage(request, startedMillis),
                (where, name) -> partitioned.receive(where, name, request, startedMillis));
    }

    @Override
    public CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request) {
        return byHandle(request.queueUrl(), group -> group.deleteMessage(request),
                where -> partitioned.delete(where, request));
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return byHandle(request.queueUrl(), group -> group.deleteMessageBatch(request),
                where -> partitioned.deleteBatch(where, request));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityResponse> changeMessageVisibility(ChangeMessageVisibilityRequest request) {
        return byHandle(request.queueUrl(), group -> group.changeMessageVisibility(request),
                where -> partitioned.changeVisibility(where, request));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        return byHandle(request.queueUrl(), group -> group.changeMessageVisibilityBatch(request),
                where -> partitioned.changeVisibilityBatch(where, request));
    }

    // ---- move tasks: a task lives in its source queue's group ----

    @Override
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request) {
        return atArn(request.sourceArn(), (where, group) -> crossGroup.startMessageMoveTask(groups.indexOf(group), request), null);
    }

    @Override
    public CompletableFuture<ListMessageMoveTasksResponse> listMessageMoveTasks(ListMessageMoveTasksRequest request) {
        return atArn(request.sourceArn(), (where, group) -> group.listMessageMoveTasks(request), null);
    }

    /**
     * A task handle does not name its group: every group is asked, and the one that has the task answers. Only when
     * none has it is the answer ResourceNotFound.
     */
    @Override
    public CompletableFuture<CancelMessageMoveTaskResponse> cancelMessageMoveTask(CancelMessageMoveTaskRequest request) {
        if (groups.size() == 1) {
            return groups.get(0).cancelMessageMoveTask(request);
        }
        List<CompletableFuture<CancelMessageMoveTaskResponse>> answers = groups.stream()
                .map(group -> group.cancelMessageMoveTask(request)).toList();
        return CompletableFuture.allOf(answers.stream().map(answer -> answer.exceptionally(error -> null))
                .toArray(CompletableFuture[]::new)).thenApply(all -> {
                    Throwable notFound = null;
                    for (CompletableFuture<CancelMessageMoveTaskResponse> answer : answers) {
                        Throwable error = answer.handle((response, failure) -> failure).join();
                        if (error == null) {
                            return answer.join();
                        }
                        Throwable cause = unwrap(error);
                        if (!(cause instanceof SqsException sqs) || sqs.error() != SqsError.RESOURCE_NOT_FOUND) {
                            throw new CompletionException(cause);
                        }
                        notFound = cause;
                    }
                    throw new CompletionException(notFound);
                });
    }

    // ---- plumbing ----

    /**
     * An action by receipt handle: once a queue was spread or migrated its handles may name their group, so with
     * several data groups every placement routes by the handle ({@link PartitionedQueue#route}).
     */
    private <T> CompletableFuture<T> byHandle(String queueUrl, Function<EngineQueueClient, CompletableFuture<T>> oneGroup,
            Function<Placement, CompletableFuture<T>> routed) {
        return atUrl(queueUrl, (where, group) -> where == null ? oneGroup.apply(group) : routed.apply(where),
                (where, name) -> routed.apply(where));
    }

    /** What a queue-wide action does where the queue is spread over groups (null: on its first partition only). */
    private interface Spread<T> {
        CompletableFuture<T> apply(Placement placement, String name);
    }

    /**
     * A queue-wide change (delete, purge, attributes, tags) routed by the placement as it is now, never by this node's
     * cached copy. The fence refuses only message actions, so a change routed by a placement cached before a migration
     * started would reach the old group alone and succeed there: a deleted queue would live on in the new group with
     * the messages already moved, a purge or new attribute would be lost once the old group drained. Such changes
     * are rare; one catalog read each is cheap. (One still under way while the placement switches can miss the new
     * group: the same race as a change between the migration's copy of the settings and its switch.)
     */
    private <T> CompletableFuture<T> changing(String queueUrl, BiFunction<Placement, EngineQueueClient, CompletableFuture<T>> single,
            Spread<T> spread) {
        if (groups.size() > 1) {
            QueueUrl.parse(queueUrl).ifPresent(url -> placement.forget(url.queueName()));
        }
        return atUrl(queueUrl, single, spread);
    }

    private <T> CompletableFuture<T> atUrl(String queueUrl, BiFunction<Placement, EngineQueueClient, CompletableFuture<T>> single,
            Spread<T> spread) {
        if (groups.size() == 1) {
            return single.apply(null, groups.get(0));
        }
        String name;
        try {
            name = nameOf(queueUrl);
        } catch (SqsException missing) {
            return CompletableFuture.failedFuture(missing);
        }
        return at(name, single, spread);
    }

    private <T> CompletableFuture<T> atArn(String arn, BiFunction<Placement, EngineQueueClient, CompletableFuture<T>> single,
            Spread<T> spread) {
        String name = QueueBook.nameOfArn(arn, accountId);
        return name == null || groups.size() == 1 ? single.apply(null, groups.get(0)) : at(name, single, spread);
    }

    /**
     * Runs the action where the queue lives: {@code single} on its one group, or {@code spread} (the first partition
     * when null) if it has several; again where the placement now says when a group answered that the queue's layout
     * changed under this node's cached placement ({@link StalePlacementRetry}). A caller's cancel (a long poll whose
     * client went away) reaches the group's client.
     */
    private <T> CompletableFuture<T> at(String name, BiFunction<Placement, EngineQueueClient, CompletableFuture<T>> single,
            Spread<T> spread) {
        return retry.run(name, where -> run(name, where, single, spread));
    }

    private <T> CompletableFuture<T> run(String name, Placement where,
            BiFunction<Placement, EngineQueueClient, CompletableFuture<T>> single, Spread<T> spread) {
        if (where.isSingle()) {
            return single.apply(where, groups.get(where.home()));
        }
        return spread == null ? single.apply(where, groups.get(where.primary())) : spread.apply(where, name);
    }

    /** Every group's part, merged in name order. */
    private CompletableFuture<List<String>> merged(Function<EngineQueueClient, CompletableFuture<List<String>>> part) {
        List<CompletableFuture<List<String>>> parts = groups.stream().map(part).toList();
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(all -> {
            List<String> names = new ArrayList<>();
            parts.forEach(each -> names.addAll(each.join()));
            names.sort(null);
            return names;
        });
    }

    /** The data group (by index) a queue's single-group actions go to: its only group, or its first partition. */
    public CompletableFuture<Integer> groupOf(String queueUrl) {
        if (groups.size() == 1) {
            return CompletableFuture.completedFuture(0);
        }
        String name;
        try {
            name = nameOf(queueUrl);
        } catch (SqsException missing) {
            return CompletableFuture.failedFuture(missing);
        }
        return placementOf(name).thenApply(where -> where.isSingle() ? where.home() : where.primary());
    }

    /**
     * {@link EngineQueueClient#peekReady} where the queue lives. A queue in more than one group (partitioned, or being
     * migrated) is not read: the answer is "beyond the peek" at once, so the fanout takes a receive round, which reads
     * every group (a read of one partition left the others' messages unfanned for good).
     */
    public CompletableFuture<EngineQueueClient.ReadyPeek> peekReady(String queueUrl, int max, int waitSeconds) {
        long deadline = WaitClock.millis() + waitSeconds * 1000L;
        String name;
        try {
            name = nameOf(queueUrl);
        } catch (SqsException missing) {
            return CompletableFuture.failedFuture(missing);
        }
        return atUrl(queueUrl, (where, group) -> group.peekReady(name, max, deadline),
                (where, ignored) -> CompletableFuture.completedFuture(new EngineQueueClient.ReadyPeek(List.of(), true)));
    }

    /**
     * Proposes a topic's fan-out to the group of its outbox, with the items whose copies all go to queues of that group
     * (or to no queue: the apply refuses such a copy into a remainder, which the fanout's retries and dead-letter queue
     * answer). An item with a copy for a queue that lives in another group (or is spread over groups) is answered
     * {@code LEFT} and not proposed: the fanout's receive loop sends it, through the send's every rule at that queue
     * (its delay, its maximum size, a queue deleted meanwhile) with the loop's retries and dead-letter queue.
     */
    public CompletableFuture<List<dev.sluice.broker.core.FanOutItem.Outcome>> fanOut(String outboxUrl, String billedTo,
            List<dev.sluice.broker.core.FanOutItem> items) {
        String outbox;
        try {
            outbox = nameOf(outboxUrl);
        } catch (SqsException missing) {
            return CompletableFuture.failedFuture(missing);
        }
        if (groups.size() == 1) {
            return groups.get(0).fanOut(outbox, billedTo, items);
        }
        return placementOf(outbox).thenCompose(home -> {
            Map<String, CompletableFuture<Boolean>> remote = new java.util.TreeMap<>();
            items.forEach(item -> item.copies().forEach(copy -> remote.computeIfAbsent(copy.destinationArn(),
                    arn -> elsewhere(QueueBook.nameOfArn(arn, accountId), home))));
            return CompletableFuture.allOf(remote.values().toArray(CompletableFuture[]::new)).thenCompose(read -> {
                List<Integer> local = new ArrayList<>();
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i).copies().stream().noneMatch(copy -> remote.get(copy.destinationArn()).join())) {
                        local.add(i);
                    }
                }
                List<dev.sluice.broker.core.FanOutItem.Outcome> outcomes = FanOutBatches.allLeft(items.size());
                if (local.isEmpty()) {
                    return CompletableFuture.completedFuture(outcomes);
                }
                return at(outbox, (where, group) -> group.fanOut(outbox, billedTo,
                        local.stream().map(items::get).toList()), null).thenApply(results -> {
                            FanOutBatches.place(outcomes, local, results);
                            return outcomes;
                        });
            });
        });
    }

    /**
     * Whether the queue {@code name} exists in a group other than {@code home}'s alone; false when unsure (the apply
     * then refuses a copy for a queue it does not hold, into a remainder).
     */
    private CompletableFuture<Boolean> elsewhere(String name, Placement home) {
        if (name == null) {
            return CompletableFuture.completedFuture(false);
        }
        return placement.placementOf(name).thenCompose(where -> where.isSingle() && where.home() == home.home()
                ? CompletableFuture.completedFuture(false)
                : groups.get(where.isSingle() ? where.home() : where.primary()).exists(name))
                .handle((exists, error) -> error == null && exists);
    }

    private String nameOf(String queueUrl) {
        // Whose queue the caller may reach was decided at the edge; here the URL's account is part of the name.
        return QueueUrl.parse(queueUrl).orElseThrow(SqsError.QUEUE_DOES_NOT_EXIST::exception).qualifiedName(accountId);
    }

    /** A placement read the catalog could not confirm (or took no more requests) is answered as a group's would be. */
    private static <T> CompletableFuture<T> available(CompletableFuture<T> placementRead) {
        return placementRead.handle((value, error) -> {
            if (error != null) {
                throw EngineQueueClient.asSqsError(error);
            }
            return value;
        });
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
