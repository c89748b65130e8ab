package dev.sluice.broker.service;

import dev.sluice.broker.quota.FifoRateLimiter;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.*;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * SQS's per-queue limits of FIFO queues ({@link FifoRateLimiter}) at the edge: SendMessage(Batch), ReceiveMessage
 * and DeleteMessage(Batch) on a FIFO queue of an account with quotas take one call of the queue's per-action limit,
 * or fail with RequestThrottled, which the SDKs retry with backoff. The queue's mode is read from its attributes the
 * first time this node sees the queue and every {@link FifoRateLimiter#MODE_TTL_NANOS} after (one extra read per queue
 * per interval, in the background: calls made while it runs are not limited); the default account, which has no
 * quotas, is not limited. Every other call passes through.
 * Thread-safe; never blocks.
 */
public final class FifoThroughputQueueClient extends ForwardingQueueClient {
    private static final List<String> MODE_ATTRIBUTES = List.of("FifoThroughputLimit", "DeduplicationScope");

    private final FifoRateLimiter limiter;
    private final Predicate<String> limitedAccounts;
    private final String defaultAccount;

    /**
     * @param limitedAccounts whether a queue owner's account has quotas (its FIFO queues are limited)
     * @param defaultAccount the account of bare queue names
     */
    public FifoThroughputQueueClient(QueueClient engine, FifoRateLimiter limiter, Predicate<String> limitedAccounts,
            String defaultAccount) {
        super(engine);
        this.limiter = limiter;
        this.limitedAccounts = limitedAccounts;
        this.defaultAccount = defaultAccount;
    }

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        return limited(request.queueUrl(), FifoRateLimiter.Action.SEND, () -> engine.sendMessage(request));
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        return limited(request.queueUrl(), FifoRateLimiter.Action.SEND, () -> engine.sendMessageBatch(request));
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        return limited(request.queueUrl(), FifoRateLimiter.Action.RECEIVE, () -> engine.receiveMessage(request));
    }

    @Override
    public CompletableFuture<DeleteMessageResponse> deleteMessage(DeleteMessageRequest request) {
        return limited(request.queueUrl(), FifoRateLimiter.Action.DELETE, () -> engine.deleteMessage(request));
    }

    @Override
    public CompletableFuture<DeleteMessageBatchResponse> deleteMessageBatch(DeleteMessageBatchRequest request) {
        return limited(request.queueUrl(), FifoRateLimiter.Action.DELETE, () -> engine.deleteMessageBatch(request));
    }

    private <T> CompletableFuture<T> limited(String queueUrl, FifoRateLimiter.Action action,
            Supplier<CompletableFuture<T>> call) {
        if (queueUrl == null || !queueUrl.endsWith(".fifo")) {
            return call.get();
        }
        Optional<QueueUrl> queue = QueueUrl.parse(queueUrl);
        if (queue.isEmpty() || !limitedAccounts.test(queue.get().accountId())) {
            return call.get();
        }
        String name = queue.get().qualifiedName(defaultAccount);
        if (!limiter.knows(name) && limiter.startLearning(name)) {
            engine.getQueueAttributes(new GetQueueAttributesRequest(queueUrl, MODE_ATTRIBUTES)).whenComplete((read, failure) -> {
                // A queue that cannot be read now (missing: the call answers for it) stays unknown: not limited.
                if (failure == null) {
                    limiter.learn(name, highThroughput(read.attributes()));
                } else {
                    limiter.forget(name);
                }
            });
        }
        // A queue whose mode is still being read is not held up: its first calls pass (the read takes a moment).
        // Either way the call's own future is answered, so that a caller's cancel (a long poll whose client left)
        // reaches it.
        return limiter.knows(name) ? decided(name, action, call) : call.get();
    }

    private <T> CompletableFuture<T> decided(String name, FifoRateLimiter.Action action, Supplier<CompletableFuture<T>> call) {
        if (limiter.tryAcquire(name, action)) {
            return call.get();
        }
        return CompletableFuture.failedFuture(SqsError.REQUEST_THROTTLED.exception("Rate exceeded: FIFO queue " + name
                + " is over its per-action limit of " + FifoRateLimiter.CALLS_PER_SECOND + " calls a second ("
                + FifoRateLimiter.HIGH_THROUGHPUT_CALLS_PER_SECOND + " in high-throughput mode); batch, or retry with "
                + "backoff."));
    }

    private static boolean highThroughput(Map<String, String> attributes) {
        return "perMessageGroupId".equals(attributes.get("FifoThroughputLimit"))
                && "messageGroup".equals(attributes.get("DeduplicationScope"));
    }
}
