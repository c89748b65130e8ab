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
 * themselves when they matter: a claim refused as FULL while the account lists fewer queues than its quota looks for
 * slots of queues it did not list, claimed over {@link #CLAIM_GRACE} ago, whose queue does not exist, frees each (only
 * if it is still that claim) and claims once more. A create still running after its claim is that old (its request
 * timed out long before) may then end with the account one queue over its quota; racing creates otherwise never are.
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
    /** How old a claim without its queue must be before a FULL claim frees it: far beyond any create's time. */
    public static final java.time.Duration CLAIM_GRACE = java.time.Duration.ofMinutes(2);
    /** Slots a repair reads at most (pages of {@value #PAGE}): a bound on the work a FULL claim adds. */
    private static final int MAX_REPAIR_SCAN = 10 * PAGE;

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
        byte[] claim = claimedAt(millis.getAsLong());
        return backfill(account, listed)
                .thenCompose(given -> catalog.putIfFewer(SLOTS, slot, claim, account + "/", quota))
                .thenCompose(result -> result != Catalog.Claim.FULL || listed.size() >= quota
                        ? CompletableFuture.completedFuture(result)
                        : freeLeakedSlots(account, listed, null, 0).thenCompose(freed -> freed == 0
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

    /** A slot's value: when it was claimed, in milliseconds since the epoch (big-endian); empty for a backfilled one. */
    public static byte[] claimedAt(long epochMillis) {
        return java.nio.ByteBuffer.allocate(Long.BYTES).putLong(epochMillis).array();
    }

    private static long claimMillis(byte[] value) {
        return value.length == Long.BYTES ? java.nio.ByteBuffer.wrap(value).getLong() : 0;
    }

    /**
     * Frees the account's slots that a crash left without their queue: not among the {@code listed} queues, claimed
     * over {@link #CLAIM_GRACE} ago, the queue missing; each deleted only while it holds the claim that was read. Counts
     * the slots freed.
     */
    private CompletableFuture<Integer> freeLeakedSlots(String account, List<String> listed, String startAfter,
            int scanned) {
        Set<String> present = new java.util.HashSet<>();
        listed.stream().map(QueueUrl::parse).flatMap(java.util.Optional::stream).forEach(url -> present.add(url.queueName()));
        long before = millis.getAsLong() - CLAIM_GRACE.toMillis();
        String prefix = account + "/";
        return catalog.scan(SLOTS, prefix, startAfter, PAGE).thenCompose(page -> {
            List<CompletableFuture<Boolean>> freed = new ArrayList<>();
            for (Catalog.Entry entry : page.entries()) {
                String name = entry.key().substring(prefix.length());
                if (!present.contains(name) && claimMillis(entry.value()) < before) {
                    freed.add(exists(account, name).thenCompose(queue -> queue ? CompletableFuture.completedFuture(false)
                            : catalog.deleteIf(SLOTS, entry.key(), entry.value())));
                }
            }
            int read = scanned + page.entries().size();
            String last = page.entries().isEmpty() ? null : page.entries().get(page.entries().size() - 1).key();
            CompletableFuture<Integer> rest = page.more() && last != null && read < MAX_REPAIR_SCAN
                    ? freeLeakedSlots(account, listed, last, read) : CompletableFuture.completedFuture(0);
            return CompletableFuture.allOf(freed.toArray(CompletableFuture[]::new)).thenCompose(done -> rest)
                    .thenApply(later -> later + (int) freed.stream().filter(CompletableFuture::join).count());
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
