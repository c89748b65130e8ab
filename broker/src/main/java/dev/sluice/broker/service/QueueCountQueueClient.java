package dev.sluice.broker.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.CreateQueueResponse;
import dev.sluice.clientsdk.model.DeleteQueueRequest;
import dev.sluice.clientsdk.model.DeleteQueueResponse;
import dev.sluice.clientsdk.model.GetQueueUrlRequest;
import dev.sluice.clientsdk.model.ListQueuesRequest;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.catalog.CountSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The queue-count quota of an account: CreateQueue of a new queue in an account that already owns its quota of queues
 * fails with SQS's {@code OverLimit} (400) and creates nothing; CreateQueue of a queue the account already has goes on
 * (SQS answers its URL, or QueueNameExists for other attributes), so a retried create never trips the quota.
 *
 * <p>First, at the edge, the account's queues are counted as the cluster lists them (ListQueues pages, at most
 * quota/1000 + 1 of them). Then, once every node knows the catalog command (feature level 2, {@code exact}), the create
 * claims a slot: a catalog record per queue ({@value #SLOTS}, key {@code account/name}) written with
 * {@link Catalog#putIfFewer}, which counts the account's slots and writes in one apply, so of creates racing on any
 * nodes for the last slot exactly one gets it. The claim comes before the queue's create, and a create that then fails
 * gives its slot back (unless the queue exists), so a refused create writes nothing. A DeleteQueue gives the slot back
 * after the queue is gone. Queues created before the level was reached have no slot: a node gives every queue of an
 * account one (from the listing above) before its first claim for that account, once per run.
 *
 * <p>A claim records when it was made. A crash between a claim and the create leaves a slot without a queue; slots heal
 * themselves when they matter ({@link CountSlots}): a claim refused as FULL while the account lists fewer queues than
 * its quota frees the slots of queues it did not list, claimed over {@link CountSlots#CLAIM_GRACE} ago, whose queue
 * does not exist, and claims once more.
 *
 * <p>Below level 2 the edge count alone decides: two creates racing on different nodes may both see one slot left, so
 * an account can end up over its quota by the creates that raced. Requests arrive with qualified names
 * ({@code account/name}; the default account's are bare). Thread-safe; never blocks.
 */
public final class QueueCountQueueClient extends ForwardingQueueClient {
    /** The catalog namespace of the queue slots, keyed {@code account/name}. */
    public static final String SLOTS = "quota.queue-slots";
    private static final int PAGE = 1_000;
    /** Accounts whose queues this node gave slots; forgotten all at once beyond this many (then given again). */
    private static final int MAX_BACKFILLED_ACCOUNTS = 10_000;

    private final ToLongFunction<String> queueQuota;
    private final String defaultAccount;
    private final Catalog catalog;
    private final Supplier<CompletableFuture<Boolean>> exact;
    private final Set<String> backfilled = ConcurrentHashMap.newKeySet();
    private final java.util.function.LongSupplier millis;

    /**
     * @param queueQuota an account's queue quota; 0 for no limit
     * @param exact whether every node knows {@link Catalog#putIfFewer} (asked before each claim)
     * @param millis the wall clock, in milliseconds since the epoch: when a claim is made
     */
    public QueueCountQueueClient(QueueClient engine, ToLongFunction<String> queueQuota, String defaultAccount, Catalog catalog,
            Supplier<CompletableFuture<Boolean>> exact, java.util.function.LongSupplier millis) {
        super(engine);
        this.millis = millis;
        this.queueQuota = queueQuota;
        this.defaultAccount = defaultAccount;
        this.catalog = catalog;
        this.exact = exact;
    }

    @Override
    public CompletableFuture<CreateQueueResponse> createQueue(CreateQueueRequest request) {
        String name = request.queueName() == null ? "" : request.queueName();
        int slash = name.indexOf('/');
        String account = slash < 0 ? defaultAccount : name.substring(0, slash);
        long quota = queueQuota.applyAsLong(account);
        if (quota <= 0) {
            return engine.createQueue(request);
        }
        String bareName = slash < 0 ? name : name.substring(slash + 1);
        List<String> listed = new ArrayList<>();
        return counted(slash < 0 ? "" : account + "/", null, listed, quota).thenCompose(count -> {
            if (count >= quota) {
                return createIfExists(request, account, bareName, count);
            }
            if (slash < 0) {
                return engine.createQueue(request);
            }
            return exact.get().thenCompose(known -> known
                    ? claimThenCreate(request, account, bareName, listed, quota)
                    : engine.createQueue(request));
        });
    }

    @Override
    public CompletableFuture<DeleteQueueResponse> deleteQueue(DeleteQueueRequest request) {
        return engine.deleteQueue(request).thenCompose(deleted -> QueueUrl.parse(request.queueUrl())
                .filter(url -> !url.accountId().equals(defaultAccount))
                .map(url -> catalog.delete(SLOTS, url.accountId() + "/" + url.queueName())
                        // A slot left behind keeps the account one queue under its quota, never over it.
                        .handle((released, failed) -> deleted))
                .orElse(CompletableFuture.completedFuture(deleted)));
    }

    /** Claims the queue's slot within the quota, then creates it; a failed create gives a slot it claimed back. */
    private CompletableFuture<CreateQueueResponse> claimThenCreate(CreateQueueRequest request, String account,
            String bareName, List<String> listed, long quota) {
        String slot = account + "/" + bareName;
        byte[] claim = CountSlots.claimedAt(millis.getAsLong());
        return backfill(account, listed)
                .thenCompose(given -> catalog.putIfFewer(SLOTS, slot, claim, account + "/", quota))
                .thenCompose(result -> result != Catalog.Claim.FULL || listed.size() >= quota
                        ? CompletableFuture.completedFuture(result)
                        : freeLeakedSlots(account, listed).thenCompose(freed -> freed == 0
                                ? CompletableFuture.completedFuture(result)
                                : catalog.putIfFewer(SLOTS, slot, claim, account + "/", quota)))
                .thenCompose(result -> switch (result) {
                    case EXISTS -> engine.createQueue(request);
                    case FULL -> createIfExists(request, account, bareName, quota);
                    case STORED -> engine.createQueue(request).handle((created, failed) -> {
                        if (failed == null) {
                            return CompletableFuture.completedFuture(created);
                        }
                        return exists(account, bareName).thenCompose(queue -> queue
                                ? CompletableFuture.completedFuture(true)
                                : catalog.deleteIf(SLOTS, slot, claim)).<CreateQueueResponse>handle((released, unknown) -> {
                                    throw failed instanceof CompletionException done ? done : new CompletionException(failed);
                                });
                    }).thenCompose(created -> created);
                });
    }

    /** The slots of the account's queues that a crash left without their queue (not listed, missing, old). */
    private CompletableFuture<Integer> freeLeakedSlots(String account, List<String> listed) {
        Set<String> present = new java.util.TreeSet<>();
        listed.stream().map(QueueUrl::parse).flatMap(java.util.Optional::stream).forEach(url -> present.add(url.queueName()));
        String prefix = account + "/";
        return CountSlots.freeAbandoned(catalog, SLOTS, prefix, millis.getAsLong(), slot -> {
            String name = slot.substring(prefix.length());
            return present.contains(name) ? CompletableFuture.completedFuture(true) : exists(account, name);
        });
    }

    /** Gives every listed queue of the account a slot, once per run of this node. */
    private CompletableFuture<Void> backfill(String account, List<String> listed) {
        if (backfilled.contains(account)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<?>[] given = listed.stream().map(QueueUrl::parse).flatMap(java.util.Optional::stream)
                .map(url -> catalog.putIfAbsent(SLOTS, account + "/" + url.queueName(), new byte[0]))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(given).thenRun(() -> {
            if (backfilled.size() >= MAX_BACKFILLED_ACCOUNTS) {
                backfilled.clear();
            }
            backfilled.add(account);
        });
    }

    /** The create of a queue the account already has goes on; of a new one, OverLimit. */
    private CompletableFuture<CreateQueueResponse> createIfExists(CreateQueueRequest request, String account, String bareName,
            long count) {
        return exists(account, bareName).thenCompose(exists -> {
            if (exists) {
                return engine.createQueue(request);
            }
            throw new CompletionException(SqsError.OVER_LIMIT.exception("Account " + account + " already has "
                    + count + " queues, its quota; delete one or ask the operator to raise the queues quota."));
        });
    }

    private CompletableFuture<Boolean> exists(String account, String bareName) {
        return engine.getQueueUrl(new GetQueueUrlRequest(bareName, account)).handle((existing, missing) -> missing == null);
    }

    /** The account's queues, counted up to {@code quota} (no further: enough to decide); their URLs into {@code listed}. */
    private CompletableFuture<Long> counted(String prefix, String nextToken, List<String> listed, long quota) {
        return engine.listQueues(new ListQueuesRequest(prefix, nextToken, PAGE)).thenCompose(page -> {
            listed.addAll(page.queueUrls());
            long count = listed.size();
            if (count >= quota || page.nextToken() == null) {
                return CompletableFuture.completedFuture(count);
            }
            return counted(prefix, page.nextToken(), listed, quota);
        });
    }
}
