package dev.sluice.broker.service;

import dev.sluice.broker.codec.QueueCommandCodec;
import dev.sluice.broker.codec.QueueExportCodec;
import dev.sluice.broker.codec.QueueQueryCodec;
import dev.sluice.broker.codec.QueueResultCodec;
import dev.sluice.broker.core.EntryOutcome;
import dev.sluice.broker.core.HandleEntry;
import dev.sluice.broker.core.MoveTask;
import dev.sluice.broker.core.MoveTasks;
import dev.sluice.broker.core.QueueCommand;
import dev.sluice.broker.core.QueueExport;
import dev.sluice.broker.core.QueueLayout;
import dev.sluice.broker.core.QueueQuery;
import dev.sluice.broker.core.ReceivedMessage;
import dev.sluice.broker.core.RemoteQueue;
import dev.sluice.broker.core.TransferImport;
import dev.sluice.broker.core.SendEntry;
import dev.sluice.broker.core.VisibilityChange;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.*;
import dev.sluice.raftstore.client.GroupClient;
import dev.sluice.raftstore.client.StoreBusyException;
import dev.sluice.raftstore.client.StoreUnavailableException;
import dev.sluice.raftstore.codec.BinaryReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The in-process {@link QueueClient}: turns SQS requests into queue commands, proposes them to the
 * queue's Raft group and turns results back into SQS responses. Requests arrive validated (see
 * {@link ValidatingQueueClient}); rules that need queue state are the engine's. Long polls wait for
 * a change, then propose another receive: told by this node's replica of the group when it has one
 * that serves, else by a {@link RemoteQueueWatch} polling the group's leader (a node need not hold
 * every group: commands and queries reach the members through the group client either way).
 * Thread-safe, never blocks.
 */
public final class EngineQueueClient implements QueueClient {
    private final GroupClient group;
    /** This node's serving replica of the group, or null while it has none (then {@link #remote} stands in). */
    private final Supplier<QueueEngine> localReplica;
    private final RemoteQueueWatch remote;
    private final ReceiveWaiters waiters;
    private final SqsLimits limits;
    private final String accountId;
    private final Supplier<String> baseUrl;
    private final InstantSource clock;
    private final Predicate<String> listed;

    /** Over a replica this node always holds (single-node and test wiring). */
    public EngineQueueClient(GroupClient group, QueueEngine localReplica, ReceiveWaiters waiters, SqsLimits limits,
            String accountId, Supplier<String> baseUrl, InstantSource clock) {
        this(group, () -> localReplica, waiters, null, limits, accountId, baseUrl, clock);
    }

    /**
     * @param localReplica this node's replica of the group while it serves (a voting member), else null
     * @param timers polls the group's leader for queues long polls wait on while there is no local replica
     */
    public EngineQueueClient(GroupClient group, Supplier<QueueEngine> localReplica, ReceiveWaiters waiters,
            ScheduledExecutorService timers, SqsLimits limits, String accountId, Supplier<String> baseUrl, InstantSource clock) {
        this.group = group;
        this.localReplica = localReplica;
        this.waiters = waiters;
        this.limits = limits;
        this.accountId = accountId;
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.listed = name -> true;
        this.remote = timers == null ? null : new RemoteQueueWatch(this::readiness, waiters, timers, clock::millis,
                waiters.capacity());
    }

    private EngineQueueClient(EngineQueueClient base, Predicate<String> listed) {
        this.group = base.group;
        this.localReplica = base.localReplica;
        this.remote = base.remote;
        this.waiters = base.waiters;
        this.limits = base.limits;
        this.accountId = base.accountId;
        this.baseUrl = base.baseUrl;
        this.clock = base.clock;
        this.listed = listed;
    }

    /**
     * This engine with lists (ListQueues, ListDeadLetterSourceQueues) that contain only the queues {@code listed}
     * takes. The lists are paged here, after that choice, so neither a page's size nor its NextToken (the last name
     * of the page) shows a queue left out: filtering a page afterwards would leave its token naming one.
     */
    public EngineQueueClient listing(Predicate<String> listed) {
        return new EngineQueueClient(this, listed);
    }

    // ---- queues ----

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        return submit(new QueueCommand.CreateQueue(request.queueName(), request.attributes(), request.tags()),
                in -> new CreateQueueResponse(urlOf(in.getString())));
    }

    @Override
    public CompletableFuture<GetQueueUrlResponse> getQueueUrl(GetQueueUrlRequest request) {
        // A bare name is the default account's (or already qualified by the edge with the caller's account).
        String name = request.queueOwnerAwsAccountId() == null ? request.queueName()
                : new QueueUrl(request.queueOwnerAwsAccountId(), request.queueName()).qualifiedName(accountId);
        return query(new QueueQuery.Exists(name), in -> {
            if (!in.getBoolean()) {
                throw SqsError.QUEUE_DOES_NOT_EXIST.exception();
            }
            return new GetQueueUrlResponse(urlOf(name));
        });
    }

    @Override
    public CompletableFuture<ListQueuesResponse> listQueues(ListQueuesRequest request) {
        Paging paging = paging(request.maxResults(), request.nextToken());
        return listedNames(request.queueNamePrefix(), paging.startAfter(), paging.limit() + 1).thenApply(paging::listQueues);
    }

    /**
     * The access Policy of this group's queue {@code name} (empty when it has none or the group holds no such queue):
     * from this node's replica when it holds one, so an access check adds no read to the cluster; else as the
     * group's leader answers it (a node without a replica reads the queue remotely anyway).
     */
    public CompletableFuture<Optional<String>> policyOf(String name) {
        QueueEngine local = localReplica.get();
        if (local != null) {
            return CompletableFuture.completedFuture(local.policyOf(name));
        }
        String attribute = dev.sluice.broker.core.QueueAttributeName.POLICY.wireName();
        return query(new QueueQuery.Attributes(name, List.of(attribute), clock.millis()), QueueResultCodec::getStringMap)
                .handle((attributes, error) -> {
                    if (error == null) {
                        return Optional.ofNullable(attributes.get(attribute));
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof SqsException missing && missing.error().httpStatus() < 500) {
                        return Optional.<String>empty(); // the action itself answers for a missing queue
                    }
                    throw asSqsError(error);
                });
    }

    /** Whether this group's queue {@code name} remembers live deduplication ids (QueueDoesNotExist if it has none). */
    CompletableFuture<Boolean> remembersDeduplication(String name) {
        return query(new QueueQuery.LiveDeduplication(name, clock.millis()), BinaryReader::getBoolean);
    }

    /** Up to {@code limit} of this group's queue {@code name}'s oldest messages, read without receiving them. */
    public CompletableFuture<List<dev.sluice.broker.core.PeekedMessage>> peek(String name, int limit) {
        return query(new QueueQuery.PeekMessages(name, limit, clock.millis()), QueueResultCodec::getPeeked);
    }

    /**
     * What a peek found ready to take: up to the asked number of visible messages, oldest first; {@code beyondPeek}
     * when none of the oldest that many was visible but some message is (a receive finds it, a peek does not).
     */
    public record ReadyPeek(List<dev.sluice.broker.core.PeekedMessage> ready, boolean beyondPeek) {
        public ReadyPeek {
            ready = List.copyOf(ready);
        }
    }

    /**
     * Up to {@code max} (at most {@link dev.sluice.broker.core.PeekedMessage#MAX_PER_PEEK}) visible messages of
     * {@code name}, oldest first, read at the group's leader (no log entry),
     * waiting as a long poll does until one is ready or {@code deadline} (on the {@link WaitClock}) passes. An idle
     * queue (as this node's replica shows it) is only waited for, not read: a topic's fanout pollers idle for free.
     */
    public CompletableFuture<ReadyPeek> peekReady(String name, int max, long deadline) {
        CompletableFuture<ReadyPeek> result = new CompletableFuture<>();
        peekUntil(name, Math.max(1, Math.min(max, dev.sluice.broker.core.PeekedMessage.MAX_PER_PEEK)), deadline, result);
        return result;
    }

    private void peekUntil(String name, int max, long deadline, CompletableFuture<ReadyPeek> result) {
        if (result.isDone()) {
            return;
        }
        if (idleHere(name)) {
            awaitReady(name, max, deadline, result);
            return;
        }
        // As many as asked: each peeked message is read from storage. Ready ones behind that many in flight or delayed
        // (a receive's, a remainder's retry wait) are the receive's to find.
        peek(name, max).whenComplete((peeked, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
                handOnIfReady(name);
                return;
            }
            List<dev.sluice.broker.core.PeekedMessage> ready = peeked.stream()
                    .filter(message -> message.state() == dev.sluice.broker.core.PeekedMessage.State.VISIBLE)
                    .limit(max).toList();
            if (!ready.isEmpty()) {
                result.complete(new ReadyPeek(ready, false));
            } else if (peeked.size() == max && receivableHere(name) > 0) {
                result.complete(new ReadyPeek(List.of(), true));
            } else {
                awaitReady(name, max, deadline, result);
            }
        });
    }

    /** Waits (at most until the deadline) for a change here that may make a message ready, then peeks again. */
    private void awaitReady(String name, int max, long deadline, CompletableFuture<ReadyPeek> result) {
        long remaining = deadline - WaitClock.millis();
        if (remaining <= 0) {
            result.complete(new ReadyPeek(List.of(), false));
            return;
        }
        long untilVisible = untilVisibleHere(name);
        CompletableFuture<Void> wake = waiters.await(name, Math.min(remaining, Math.max(1, untilVisible)));
        if (wake == null) {
            result.complete(new ReadyPeek(List.of(), false));
            return;
        }
        result.whenComplete((ignored, cancelled) -> wake.complete(null));
        wake.thenRun(() -> {
            if (!result.isDone()) {
                peekUntil(name, max, deadline, result);
            } else {
                handOnIfReady(name);
            }
        });
    }

    /**
     * Proposes a topic's fan-out to the group holding its outbox {@code outbox} (see {@code FanoutApplier}): as several
     * commands when its copies do not fit in one within the group's proposal limit ({@link FanOutBatches}); an item
     * left out of them is answered {@code LEFT}, unchanged, for the fanout's receive loop. One outcome per item.
     */
    public CompletableFuture<List<dev.sluice.broker.core.FanOutItem.Outcome>> fanOut(String outbox, String billedTo,
            List<dev.sluice.broker.core.FanOutItem> items) {
        // Each item (its copies' bodies) encoded once: its length sizes the commands, its bytes go in one of them. From
        // the first item too big for a command of its own, it and every later item are left (FanOutBatches), so none of
        // them is kept, or encoded: what this holds is bounded by the commands it proposes.
        int commandBytes = QueueCommandCodec.fanOutBytesWithoutItems(outbox, billedTo);
        List<byte[]> encoded = new ArrayList<>(items.size());
        for (dev.sluice.broker.core.FanOutItem item : items) {
            byte[] bytes = QueueCommandCodec.encodeFanOutItem(item);
            if ((long) commandBytes + bytes.length > group.maxProposalBytes()) {
                break;
            }
            encoded.add(bytes);
        }
        List<List<Integer>> commands = FanOutBatches.split(encoded.stream().map(item -> item.length).toList(),
                commandBytes, group.maxProposalBytes(), outbox.endsWith(".fifo"));
        List<dev.sluice.broker.core.FanOutItem.Outcome> outcomes = FanOutBatches.allLeft(items.size());
        // Proposed together, in order: the group's client packs them into entries within the same limit.
        List<CompletableFuture<Void>> applied = new ArrayList<>();
        for (List<Integer> indexes : commands) {
            applied.add(submit(QueueCommandCodec.encodeFanOut(outbox, billedTo, indexes.stream().map(encoded::get)
                    .toList()), QueueResultCodec::getFanOutOutcomes).thenAccept(results -> FanOutBatches.place(outcomes, indexes,
                            results)));
        }
        return CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).thenApply(done -> {
            synchronized (outcomes) {
                return List.copyOf(outcomes);
            }
        });
    }

    /** The backlog and traffic counts of those of {@code names} this group holds, as its leader answers them. */
    public CompletableFuture<List<dev.sluice.broker.core.QueueStats>> stats(List<String> names) {
        return query(new QueueQuery.Stats(names, clock.millis()), QueueResultCodec::getStats);
    }

    /** Adds usage counted at this node's edge, once per (source, sequence); answers whether this call added it. */
    public CompletableFuture<Boolean> recordUsage(QueueCommand.RecordUsage command) {
        return submit(command, BinaryReader::getBoolean);
    }

    /** This group's usage counters of {@code account} (empty: every account) in hours from..to (linearizable). */
    public CompletableFuture<dev.sluice.broker.core.UsageRows> usage(String account, long fromMillis, long toMillis) {
        return query(new QueueQuery.Usage(account, fromMillis, toMillis), QueueResultCodec::getUsage);
    }

    /** What the queues of {@code accounts} (at most 1,000) hold in this group, as its leader answers. */
    public CompletableFuture<List<dev.sluice.broker.core.AccountHolding>> holdings(List<String> accounts) {
        return query(new QueueQuery.AccountHoldings(accounts), QueueResultCodec::getHoldings);
    }

    /** Whether this group holds a queue of that name (linearizable). */
    public CompletableFuture<Boolean> exists(String name) {
        return query(new QueueQuery.Exists(name), BinaryReader::getBoolean);
    }

    /** Up to {@code wanted} listed names of this group's queues after {@code startAfter} (null: from the first), in order. */
    CompletableFuture<List<String>> listedNames(String prefix, String startAfter, int wanted) {
        return listedNames(prefix, startAfter, wanted, wanted, new ArrayList<>());
    }

    /** A list request's page size and position, decoded once; turns the sorted names of all groups into the answer. */
    Paging paging(Integer maxResults, String nextToken) {
        return new Paging(maxResults, maxResults == null ? limits.maxListResults() : maxResults, decodeToken(nextToken));
    }

    final class Paging {
        private final Integer maxResults;
        private final int limit;
        private final String startAfter;

        private Paging(Integer maxResults, int limit, String startAfter) {
            this.maxResults = maxResults;
            this.limit = limit;
            this.startAfter = startAfter;
        }

        int limit() {
            return limit;
        }

        String startAfter() {
            return startAfter;
        }

        ListQueuesResponse listQueues(List<String> sortedNames) {
            Page page = Page.of(sortedNames, limit, maxResults);
            return new ListQueuesResponse(page.names().stream().map(EngineQueueClient.this::urlOf).toList(), page.nextToken());
        }

        ListDeadLetterSourceQueuesResponse deadLetterSources(List<String> sortedNames) {
            List<String> names = sortedNames.stream().filter(name -> startAfter == null || name.compareTo(startAfter) > 0)
                    .filter(listed).toList();
            Page page = Page.of(names, limit, maxResults);
            return new ListDeadLetterSourceQueuesResponse(page.names().stream().map(EngineQueueClient.this::urlOf).toList(),
                    page.nextToken());
        }
    }

    /**
     * Up to {@code wanted} listed names after {@code startAfter}, in order: reads pages of {@code pageSize} names
     * (after the first, at least a full list's worth, so that many unlisted names cost few queries) until enough are
     * listed or the names run out.
     */
    private CompletableFuture<List<String>> listedNames(String prefix, String startAfter, int wanted, int pageSize,
            List<String> into) {
        // No prefix lists every account's queues (an operator's list); a prefix lists its account's only.
        String account = prefix == null ? null : QueueUrl.ofQualified(prefix, accountId).accountId();
        return query(new QueueQuery.ListQueues(prefix, startAfter, pageSize), QueueResultCodec::getStrings).thenCompose(names -> {
            for (String name : names) {
                // A list is one account's: a bare prefix such as "1" also matches other accounts' "111111111111/..."
                if (listed.test(name) && (account == null || QueueUrl.ofQualified(name, accountId).accountId().equals(account))) {
                    into.add(name);
                    if (into.size() == wanted) {
                        return CompletableFuture.completedFuture(into);
                    }
                }
            }
            if (names.size() < pageSize) {
                return CompletableFuture.completedFuture(into);
            }
            return listedNames(prefix, names.get(names.size() - 1), wanted,
                    Math.max(pageSize, limits.maxListResults() + 1), into);
        });
    }

    @Override
    public CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request) {
        return submit(new QueueCommand.DeleteQueue(nameOf(request.queueUrl())), in -> new DeleteQueueResponse());
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(GetQueueAttributesRequest request) {
        return query(new QueueQuery.Attributes(nameOf(request.queueUrl()), request.attributeNames(), clock.millis()),
                in -> new GetQueueAttributesResponse(QueueResultCodec.getStringMap(in)));
    }

    @Override
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request) {
        return submit(new QueueCommand.SetAttributes(nameOf(request.queueUrl()), request.attributes()),
                in -> new SetQueueAttributesResponse());
    }

    @Override
    public CompletableFuture<TagQueueResponse> tagQueue(TagQueueRequest request) {
        return submit(new QueueCommand.TagQueue(nameOf(request.queueUrl()), request.tags(), limits.maxTagsPerQueue()),
                in -> new TagQueueResponse());
    }

    @Override
    public CompletableFuture<UntagQueueResponse> untagQueue(UntagQueueRequest request) {
        return submit(new QueueCommand.UntagQueue(nameOf(request.queueUrl()), request.tagKeys()),
                in -> new UntagQueueResponse());
    }

    @Override
    public CompletableFuture<ListQueueTagsResponse> listQueueTags(ListQueueTagsRequest request) {
        return query(new QueueQuery.Tags(nameOf(request.queueUrl())),
                in -> new ListQueueTagsResponse(QueueResultCodec.getStringMap(in)));
    }

    @Override
    public CompletableFuture<PurgeQueueResponse> purgeQueue(PurgeQueueRequest request) {
        return submit(new QueueCommand.Purge(nameOf(request.queueUrl())), in -> new PurgeQueueResponse());
    }

    @Override
    public CompletableFuture<ListDeadLetterSourceQueuesResponse> listDeadLetterSourceQueues(
            ListDeadLetterSourceQueuesRequest request) {
        Paging paging = paging(request.maxResults(), request.nextToken());
        return deadLetterSourceNames(nameOf(request.queueUrl())).thenApply(paging::deadLetterSources);
    }

    /** This group's queues whose dead-letter queue is {@code name}, a queue of this group (else QueueDoesNotExist). */
    CompletableFuture<List<String>> deadLetterSourceNames(String name) {
        return query(new QueueQuery.DeadLetterSources(name), QueueResultCodec::getStrings);
    }

    /** This group's listed queues whose dead-letter queue is {@code name}, wherever that queue lives. */
    CompletableFuture<List<String>> deadLetterSourcesOf(String name) {
        return query(new QueueQuery.DeadLetterSourcesAnywhere(name), QueueResultCodec::getStrings)
                .thenApply(names -> names.stream().filter(listed).toList());
    }

    /**
     * One page of sorted names. As in SQS, a NextToken is returned only when the caller asked for a
     * page size ({@code maxResults}); without it the first {@code limit} names are all there is.
     */
    private record Page(List<String> names, String nextToken) {
        static Page of(List<String> sortedNames, int limit, Integer maxResults) {
            boolean more = sortedNames.size() > limit;
            List<String> names = more ? sortedNames.subList(0, limit) : sortedNames;
            return new Page(names, more && maxResults != null ? encodeToken(names.get(names.size() - 1)) : null);
        }
    }

    // ---- messages ----

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        SendEntry entry = new SendEntry("0", request.messageBody(), request.delaySeconds(), request.messageAttributes(),
                traceHeader(request.messageSystemAttributes()), request.messageGroupId(), request.messageDeduplicationId());
        return submit(new QueueCommand.Send(nameOf(request.queueUrl()), List.of(entry)), in -> {
            EntryOutcome outcome = QueueResultCodec.getOutcomes(in).get(0);
            if (!outcome.succeeded()) {
                throw new SqsException(outcome.failure().error(), outcome.failure().message());
            }
            return new SendMessageResponse(null, null, null, outcome.messageId(), outcome.sequenceNumber());
        });
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        List<SendEntry> entries = request.entries().stream().map(EngineQueueClient::sendEntryOf).toList();
        return submit(new QueueCommand.Send(nameOf(request.queueUrl()), entries, request.deliveriesBilledTo()),
                in -> split(QueueResultCodec.getOutcomes(in), outcome -> new SendMessageBatchResultEntry(outcome.id(), outcome.messageId(), null, null, null,
                        outcome.sequenceNumber()), SendMessageBatchResponse::new));
    }

    /** A batch entry as the engine's send carries it. */
    static SendEntry sendEntryOf(SendMessageBatchRequestEntry entry) {
        return new SendEntry(entry.id(), entry.messageBody(), entry.delaySeconds(), entry.messageAttributes(),
                traceHeader(entry.messageSystemAttributes()), entry.messageGroupId(), entry.messageDeduplicationId());
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return receiveMessage(request, WaitClock.millis());
    }

    /**
     * A receive whose wait counts from {@code startedMillis} (on the {@link WaitClock}): a router that runs the same long
     * poll again in another group (its placement changed under it) keeps the client's WaitTimeSeconds instead of starting
     * it over.
     */
    CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request, long startedMillis) {
        String name = nameOf(request.queueUrl());
        int max = request.maxNumberOfMessages() == null ? 1 : request.maxNumberOfMessages();
        QueueCommand.Receive command = new QueueCommand.Receive(name, max, request.visibilityTimeout(),
                request.receiveRequestAttemptId());
        CompletableFuture<Integer> waitSeconds = request.waitTimeSeconds() != null
                ? CompletableFuture.completedFuture(request.waitTimeSeconds()) : defaultWaitSeconds(name);
        // The caller gets this very future: cancelling it (the client hung up) ends the wait and frees the waiter.
        CompletableFuture<ReceiveMessageResponse> response = new CompletableFuture<>();
        waitSeconds.whenComplete((seconds, error) -> {
            if (error != null) {
                response.completeExceptionally(error);
            } else if (!response.isDone() && seconds == 0) {
                // A short poll is always proposed: a replica behind the leader must not answer it empty.
                propose(command, startedMillis, response);
            } else if (!response.isDone()) {
                receiveUntil(command, startedMillis + seconds * 1000L, response);
            }
        });
        return response;
    }

    /**
     * The queue's ReceiveMessageWaitTimeSeconds: as this node's replica holds it, or as the group's leader answers
     * without one (0 for a queue the group does not hold: the receive then says it does not exist).
     */
    CompletableFuture<Integer> defaultWaitSeconds(String name) {
        QueueEngine local = localReplica.get();
        if (local != null) {
            return CompletableFuture.completedFuture(
                    local.read(book -> book.exists(name) ? book.settings(name).receiveMessageWaitTimeSeconds() : 0));
        }
        String attribute = dev.sluice.broker.core.QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS.wireName();
        return query(new QueueQuery.Attributes(name, List.of(attribute), clock.millis()), QueueResultCodec::getStringMap)
                .handle((attributes, error) -> error != null ? 0 : Integer.parseInt(attributes.getOrDefault(attribute, "0")));
    }

    /** Asks the group's leader what a receive could take from {@code name} (for {@link RemoteQueueWatch}). */
    private CompletableFuture<RemoteQueueWatch.Readiness> readiness(String name) {
        return query(new QueueQuery.Receivable(name), in -> new RemoteQueueWatch.Readiness(in.getLong(), in.getLong()));
    }

    /**
     * Proposes a receive; if it finds nothing before the deadline, waits for this replica to see a change and tries
     * again. A receive that this node's replica shows would find nothing is not proposed at all (only waited for), so
     * an idle long poll appends nothing to the group's log: that needs a local replica (a remote watch cannot tell a
     * missing or closed queue) and no ReceiveRequestAttemptId (a retried FIFO attempt answers its earlier messages).
     * A replica behind the leader only delays a long poll until it applies the send, which wakes it. A cancelled
     * {@code response} (the client went away) stops the loop and frees its waiter slot at once.
     */
    private void receiveUntil(QueueCommand.Receive command, long deadline, CompletableFuture<ReceiveMessageResponse> response) {
        if (command.receiveRequestAttemptId() == null && idleHere(command.name())) {
            awaitChange(command, deadline, response);
        } else {
            propose(command, deadline, response);
        }
    }

    private void propose(QueueCommand.Receive command, long deadline, CompletableFuture<ReceiveMessageResponse> response) {
        submit(command, QueueResultCodec::getMessages).whenComplete((messages, error) -> {
            if (error != null) {
                response.completeExceptionally(error);
                handOnIfReady(command.name());
                return;
            }
            if (messages.isEmpty() && remote != null && localReplica.get() == null) {
                remote.tookNothing(command.name());
            }
            if (!messages.isEmpty()) {
                response.complete(new ReceiveMessageResponse(messages.stream().map(EngineQueueClient::toMessage).toList()));
                return;
            }
            awaitChange(command, deadline, response);
        });
    }

    /** Waits (at most until the deadline) for a change here that may make a message receivable, then tries again. */
    private void awaitChange(QueueCommand.Receive command, long deadline, CompletableFuture<ReceiveMessageResponse> response) {
        long remaining = deadline - WaitClock.millis();
        if (remaining <= 0 || response.isDone()) {
            response.complete(new ReceiveMessageResponse(List.of()));
            return;
        }
        long untilVisible = untilVisibleHere(command.name());
        CompletableFuture<Void> wake = waiters.await(command.name(), Math.min(remaining, Math.max(1, untilVisible)));
        if (wake == null) {
            response.complete(new ReceiveMessageResponse(List.of()));
            return;
        }
        response.whenComplete((ignored, cancelled) -> wake.complete(null));
        if (receivableHere(command.name()) > 0) {
            wake.complete(null);
        }
        wake.thenRun(() -> {
            if (!response.isDone()) {
                receiveUntil(command, deadline, response);
            } else {
                handOnIfReady(command.name());
            }
        });
    }

    /**
     * A waiter woken for a ready message that will not receive it (its client went away, its receive failed) wakes
     * another one in its place: {@link ReceiveWaiters} wakes only as many as messages became ready.
     */
    private void handOnIfReady(String name) {
        if (receivableHere(name) > 0) {
            waiters.passOn(name);
        }
    }

    private boolean idleHere(String name) {
        QueueEngine local = localReplica.get();
        long now = clock.millis();
        return local != null && local.read(book -> book.idle(name, now));
    }

    /**
     * Messages of {@code name} ready for a receive, as this node's replica of the group sees them (possibly behind),
     * or as the group's leader last answered the remote watch.
     */
    long receivableHere(String name) {
        QueueEngine local = localReplica.get();
        return local != null ? local.read(book -> book.receivableCount(name)) : remoteReadiness(name).receivable();
    }

    /**
     * Milliseconds of the service clock until a message of {@code name} becomes visible (0 or less: one is due now; huge:
     * none pending), as {@link #nextVisibleAtHere}. A wait for it is a hint only: the service clock may stand still.
     */
    long untilVisibleHere(String name) {
        long next = nextVisibleAtHere(name);
        return next == Long.MAX_VALUE ? Long.MAX_VALUE : next - clock.millis();
    }

    /**
     * Whether this replica has messages of {@code name} ready, or due to become visible by the service clock's now (the
     * engine moves those into the ready set only when a receive applies).
     */
    boolean mayHaveReadyHere(String name) {
        return receivableHere(name) > 0 || nextVisibleAtHere(name) <= clock.millis();
    }

    /** When a message of {@code name} next becomes visible (Long.MAX_VALUE: none pending), seen as {@link #receivableHere}. */
    long nextVisibleAtHere(String name) {
        QueueEngine local = localReplica.get();
        return local != null ? local.read(book -> book.nextVisibleAtMillis(name)) : remoteReadiness(name).nextVisibleAtMillis();
    }

    private RemoteQueueWatch.Readiness remoteReadiness(String name) {
        return remote == null ? RemoteQueueWatch.Readiness.UNKNOWN : remote.readiness(name);
    }

    private static Message toMessage(ReceivedMessage message) {
        return new Message(message.messageId(), message.receiptHandle(), null, message.body(), message.systemAttributes(),
                null, message.messageAttributes());
    }

    @Override
    public CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request) {
        return submit(new QueueCommand.Delete(nameOf(request.queueUrl()), List.of(new HandleEntry("0", request.receiptHandle()))),
                in -> {
                    throwIfFailed(QueueResultCodec.getOutcomes(in).get(0));
                    return new DeleteMessageResponse();
                });
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        List<HandleEntry> entries = request.entries().stream()
                .map(entry -> new HandleEntry(entry.id(), entry.receiptHandle())).toList();
        InvocationBill bill = request.invocationBill();
        return submit(new QueueCommand.Delete(nameOf(request.queueUrl()), entries,
                        bill == null ? null : bill.functionOwner(), bill == null ? 0 : bill.durationMillis()),
                in -> split(QueueResultCodec.getOutcomes(in), outcome -> new DeleteMessageBatchResultEntry(outcome.id()), DeleteMessageBatchResponse::new));
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityResponse> changeMessageVisibility(ChangeMessageVisibilityRequest request) {
        VisibilityChange change = new VisibilityChange("0", request.receiptHandle(), request.visibilityTimeout());
        return submit(new QueueCommand.ChangeVisibility(nameOf(request.queueUrl()), List.of(change)), in -> {
            throwIfFailed(QueueResultCodec.getOutcomes(in).get(0));
            return new ChangeMessageVisibilityResponse();
        });
    }

    @Override
    public CompletableFuture<ChangeMessageVisibilityBatchResponse> changeMessageVisibilityBatch(
            ChangeMessageVisibilityBatchRequest request) {
        List<VisibilityChange> changes = request.entries().stream()
                .map(entry -> new VisibilityChange(entry.id(), entry.receiptHandle(), entry.visibilityTimeout())).toList();
        return submit(new QueueCommand.ChangeVisibility(nameOf(request.queueUrl()), changes),
                in -> split(QueueResultCodec.getOutcomes(in), outcome -> new ChangeMessageVisibilityBatchResultEntry(outcome.id()), ChangeMessageVisibilityBatchResponse::new));
    }

    // ---- move tasks ----

    @Override
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request) {
        return submit(new QueueCommand.StartMoveTask(request.sourceArn(), request.destinationArn(),
                request.maxNumberOfMessagesPerSecond()), in -> new StartMessageMoveTaskResponse(in.getString()));
    }

    @Override
    public CompletableFuture<ListMessageMoveTasksResponse> listMessageMoveTasks(ListMessageMoveTasksRequest request) {
        int limit = request.maxResults() == null ? 1 : request.maxResults();
        return query(new QueueQuery.MoveTasksOf(request.sourceArn(), limit), in -> new ListMessageMoveTasksResponse(
                QueueResultCodec.getMoveTasks(in).stream().map(EngineQueueClient::toEntry).toList()));
    }

    private static ListMessageMoveTasksResultEntry toEntry(MoveTask task) {
        boolean running = task.isRunning();
        return new ListMessageMoveTasksResultEntry(running ? task.handle() : null, task.status(), task.sourceArn(),
                task.destinationArn(), task.maxMessagesPerSecond() == MoveTasks.MAX_RATE ? null : task.maxMessagesPerSecond(),
                task.movedCount(), task.toMoveCount(), task.failureReason(), task.startedMillis());
    }

    @Override
    public CompletableFuture<CancelMessageMoveTaskResponse> cancelMessageMoveTask(CancelMessageMoveTaskRequest request) {
        return submit(new QueueCommand.CancelMoveTask(request.taskHandle()),
                in -> new CancelMessageMoveTaskResponse(in.getLong()));
    }

    // ---- across groups (see CrossGroupCommands and TransferWorker) ----

    /** CreateQueue whose dead-letter queue the router verified in another group. */
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request, RemoteQueue remoteDeadLetterQueue) {
        return submit(new QueueCommand.CreateQueue(request.queueName(), request.attributes(), request.tags(), remoteDeadLetterQueue),
                in -> new CreateQueueResponse(urlOf(in.getString())));
    }

    /** SetQueueAttributes whose dead-letter queue the router verified in another group. */
    public CompletableFuture<SetQueueAttributesResponse> setQueueAttributes(SetQueueAttributesRequest request,
            RemoteQueue remoteDeadLetterQueue) {
        return submit(new QueueCommand.SetAttributes(nameOf(request.queueUrl()), request.attributes(), remoteDeadLetterQueue),
                in -> new SetQueueAttributesResponse());
    }

    /** StartMessageMoveTask that may move messages to other groups, with what the router verified. */
    public CompletableFuture<StartMessageMoveTaskResponse> startMessageMoveTask(StartMessageMoveTaskRequest request,
            RemoteQueue remoteDestination, boolean sourceIsDeadLetterQueue) {
        return submit(new QueueCommand.StartMoveTaskAcrossGroups(request.sourceArn(), request.destinationArn(),
                request.maxNumberOfMessagesPerSecond(), remoteDestination, sourceIsDeadLetterQueue),
                in -> new StartMessageMoveTaskResponse(in.getString()));
    }

    /**
     * What this group knows of {@code name} as dead-letter queue or move destination of
     * {@code sourceArn}: null when there is no such queue here.
     */
    public CompletableFuture<RemoteQueue> redriveTarget(String name, String sourceArn, String arn) {
        return query(new QueueQuery.RedriveTarget(name, sourceArn),
                in -> in.getBoolean() ? new RemoteQueue(arn, in.getBoolean(), in.getBoolean()) : null);
    }

    /** Imports transferred messages into this group's queues; one outcome per import, in order. */
    public CompletableFuture<List<TransferImport.Outcome>> importTransfers(List<TransferImport> imports) {
        return submit(new QueueCommand.ImportTransfers(imports), QueueResultCodec::getImportOutcomes);
    }

    /** Sets the queue's layout in this group (its fence, its partition); idempotent. */
    public CompletableFuture<Void> setLayout(String name, QueueLayout layout) {
        return submit(new QueueCommand.SetQueueLayout(name, layout), in -> null);
    }

    /** Deletes the queue in this group only if it holds no message at all (OverLimit otherwise, nothing changed). */
    public CompletableFuture<Void> deleteQueueIfEmpty(String name) {
        return submit(new QueueCommand.DeleteQueueIfEmpty(name), in -> null);
    }

    /** Settles transfers of this group's outbox; answers how many went back to their queue. */
    public CompletableFuture<Integer> settleTransfers(List<Long> delivered, List<Long> returned) {
        return submit(new QueueCommand.SettleTransfers(delivered, returned), BinaryReader::getInt);
    }

    /** One page of the queue {@code name}'s whole state from {@code from}, for its migration (linearizable). */
    CompletableFuture<QueueExport> exportQueue(String name, QueueExport.Position from) {
        return query(new QueueQuery.ExportQueue(name, from, QueueEngine.MAX_EXPORT_PAGE_BYTES, clock.millis()),
                QueueExportCodec::getPage);
    }

    /** Stores an exported page into this group's queue {@code name}; answers how many messages it stored. */
    CompletableFuture<Integer> importQueueState(String name, QueueExport page) {
        return submit(new QueueCommand.ImportQueueState(name, page), BinaryReader::getInt);
    }

    // ---- plumbing ----

    private <T> CompletableFuture<T> submit(QueueCommand command, Function<BinaryReader, T> onSuccess) {
        return submit(QueueCommandCodec.encode(command), onSuccess);
    }

    /** Proposes a command {@link QueueCommandCodec} encoded. */
    private <T> CompletableFuture<T> submit(byte[] command, Function<BinaryReader, T> onSuccess) {
        return decode(group.submit(command), onSuccess);
    }

    private <T> CompletableFuture<T> query(QueueQuery query, Function<BinaryReader, T> onSuccess) {
        return decode(group.query(QueueQueryCodec.encode(query)), onSuccess);
    }

    private static <T> CompletableFuture<T> decode(CompletableFuture<ByteBuffer> result, Function<BinaryReader, T> onSuccess) {
        return result.handle((bytes, error) -> {
            if (error != null) {
                throw asSqsError(error);
            }
            return onSuccess.apply(QueueResultCodec.open(bytes));
        });
    }

    /** A store's failure as SQS answers it (throttling, unavailable), for the groups' and the catalog's replies alike. */
    public static RuntimeException asSqsError(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof StoreBusyException) {
            // Refused before it was proposed: SQS's throttling answer, which the AWS SDKs retry with backoff.
            return SqsError.REQUEST_THROTTLED.exception("Too many requests wait for the queue's replicas; retry.");
        }
        if (cause instanceof StoreUnavailableException || cause instanceof java.util.concurrent.TimeoutException) {
            return SqsError.SERVICE_UNAVAILABLE.exception("The queue's replicas could not confirm the request in time; retry.");
        }
        return new CompletionException(cause);
    }

    private String nameOf(String queueUrl) {
        // Whose queue the caller may reach was decided at the edge; here the URL's account is part of the name.
        return QueueUrl.parse(queueUrl).orElseThrow(() -> SqsError.QUEUE_DOES_NOT_EXIST.exception()).qualifiedName(accountId);
    }

    /** The URL of the queue of qualified name {@code name}, under its owner's account. */
    private String urlOf(String name) {
        return QueueUrl.ofQualified(name, accountId).toUrl(baseUrl.get());
    }

    private static String traceHeader(Map<String, MessageAttributeValue> systemAttributes) {
        MessageAttributeValue trace = systemAttributes == null ? null : systemAttributes.get("AWSTraceHeader");
        return trace == null ? null : trace.stringValue();
    }

    /** A batch response: succeeded entries through {@code success}, the rest as SQS's Failed entries. */
    private static <S, R> R split(List<EntryOutcome> outcomes, Function<EntryOutcome, S> success,
            BiFunction<List<S>, List<BatchResultErrorEntry>, R> response) {
        List<S> successful = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (EntryOutcome outcome : outcomes) {
            if (outcome.succeeded()) {
                successful.add(success.apply(outcome));
            } else {
                failed.add(failure(outcome));
            }
        }
        return response.apply(successful, failed);
    }

    private static BatchResultErrorEntry failure(EntryOutcome outcome) {
        SqsError error = outcome.failure().error();
        return new BatchResultErrorEntry(outcome.id(), error.senderFault(), error.legacyCode(), outcome.failure().message());
    }

    private static void throwIfFailed(EntryOutcome outcome) {
        if (!outcome.succeeded()) {
            throw new SqsException(outcome.failure().error(), outcome.failure().message());
        }
    }

    private static String encodeToken(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Invalid NextToken value.");
        }
    }
}
