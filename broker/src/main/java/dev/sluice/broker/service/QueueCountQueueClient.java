package dev.sluice.broker.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.CreateQueueRequest;
import dev.sluice.clientsdk.model.CreateQueueResponse;
import dev.sluice.clientsdk.model.GetQueueUrlRequest;
import dev.sluice.clientsdk.model.ListQueuesRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.ToLongFunction;

/**
 * The queue-count quota of an account: CreateQueue of a new queue in an account that already owns its quota of queues
 * fails with SQS's {@code OverLimit} (400) and creates nothing; CreateQueue of a queue the account already has goes on
 * (SQS answers its URL, or QueueNameExists for other attributes), so a retried create never trips the quota.
 *
 * <p>Where and how exact: at the edge, before the create, counting the account's queues as the cluster lists them
 * (ListQueues pages, at most quota/1000 + 1 of them). Two creates racing on different nodes may both see one slot left,
 * so an account can end up over its quota by the creates that raced (at most the calls in flight at once); a refused
 * create never writes. Requests arrive with qualified names ({@code account/name}; the default account's are bare).
 * Thread-safe; never blocks.
 */
public final class QueueCountQueueClient extends ForwardingQueueClient {
    private static final int PAGE = 1_000;

    private final ToLongFunction<String> queueQuota;
    private final String defaultAccount;

    /** @param queueQuota an account's queue quota; 0 for no limit */
    public QueueCountQueueClient(QueueClient engine, ToLongFunction<String> queueQuota, String defaultAccount) {
        super(engine);
        this.queueQuota = queueQuota;
        this.defaultAccount = defaultAccount;
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
        return counted(slash < 0 ? "" : account + "/", null, 0, quota).thenCompose(count -> {
            if (count < quota) {
                return engine.createQueue(request);
            }
            String bareName = slash < 0 ? name : name.substring(slash + 1);
            return engine.getQueueUrl(new GetQueueUrlRequest(bareName, account)).handle((existing, missing) -> missing == null)
                    .thenCompose(exists -> {
                        if (exists) {
                            return engine.createQueue(request);
                        }
                        throw new CompletionException(SqsError.OVER_LIMIT.exception("Account " + account + " already has "
                                + count + " queues, its quota; delete one or ask the operator to raise the queues quota."));
                    });
        });
    }

    /** The account's queues, counted up to {@code quota} (no further: enough to decide). */
    private CompletableFuture<Long> counted(String prefix, String nextToken, long before, long quota) {
        return engine.listQueues(new ListQueuesRequest(prefix, nextToken, PAGE)).thenCompose(page -> {
            long count = before + page.queueUrls().size();
            if (count >= quota || page.nextToken() == null) {
                return CompletableFuture.completedFuture(count);
            }
            return counted(prefix, page.nextToken(), count, quota);
        });
    }
}
