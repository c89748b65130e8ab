package dev.sluice.broker.service;

import dev.sluice.broker.core.AccountHolding;
import dev.sluice.clientsdk.MessageSize;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.ReceiveMessageResponse;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequestEntry;
import dev.sluice.clientsdk.model.SendMessageBatchResponse;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.clientsdk.model.SendMessageResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * An account's holdings quotas at the edge, against the cluster's sums as this node last read them
 * ({@link ClusterHoldings}, at most about {@link ClusterHoldings#REFRESH_MILLIS} old): a SendMessage or
 * SendMessageBatch that would take the queue owner's stored bytes past its {@code storedBytes} quota, and a
 * ReceiveMessage while its messages in flight are at its {@code inFlightMessages} quota, are refused with SQS's
 * {@code OverLimit} before anything reaches a queue. Over-shoot bound: what the account's clients send (or receive)
 * in one refresh interval and a round trip, on every node, passes before the sums show it. Thread-safe.
 */
public final class HoldingsQuotaQueueClient extends ForwardingQueueClient {
    private final Function<String, AccountHolding> holdings;
    private final ToLongFunction<String> storedBytesQuota;
    private final ToLongFunction<String> inFlightQuota;

    /**
     * @param holdings an account's holdings over the cluster
     * @param storedBytesQuota an account's stored-bytes quota; 0 for no limit
     * @param inFlightQuota an account's in-flight quota; 0 for no limit
     */
    public HoldingsQuotaQueueClient(QueueClient engine, Function<String, AccountHolding> holdings,
            ToLongFunction<String> storedBytesQuota, ToLongFunction<String> inFlightQuota) {
        super(engine);
        this.holdings = holdings;
        this.storedBytesQuota = storedBytesQuota;
        this.inFlightQuota = inFlightQuota;
    }

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        SqsException refused = overStoredBytes(request.queueUrl(),
                () -> payload(request.messageBody(), request.messageAttributes()));
        return refused != null ? CompletableFuture.failedFuture(refused) : engine.sendMessage(request);
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        SqsException refused = overStoredBytes(request.queueUrl(), () -> {
            long bytes = 0;
            for (SendMessageBatchRequestEntry entry : request.entries() == null
                    ? java.util.List.<SendMessageBatchRequestEntry>of() : request.entries()) {
                bytes += payload(entry.messageBody(), entry.messageAttributes());
            }
            return bytes;
        });
        return refused != null ? CompletableFuture.failedFuture(refused) : engine.sendMessageBatch(request);
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        String account = ownerOf(request.queueUrl());
        long quota = account == null ? 0 : inFlightQuota.applyAsLong(account);
        if (quota > 0) {
            long inFlight = holdings.apply(account).inFlightMessages();
            if (inFlight >= quota) {
                return CompletableFuture.failedFuture(new SqsException(SqsError.OVER_LIMIT, "Account " + account
                        + " has " + inFlight + " messages in flight, at its quota of " + quota
                        + " (inFlightMessages): delete or release some before receiving more."));
            }
        }
        return engine.receiveMessage(request);
    }

    /** The refusal of a send of {@code payload} bytes into {@code queueUrl}, or null when its owner has room. */
    private SqsException overStoredBytes(String queueUrl, java.util.function.LongSupplier payload) {
        String account = ownerOf(queueUrl);
        long quota = account == null ? 0 : storedBytesQuota.applyAsLong(account);
        if (quota <= 0) {
            return null;
        }
        long stored = holdings.apply(account).storedBytes();
        long adding = payload.getAsLong();
        if (stored + adding <= quota) {
            return null;
        }
        return new SqsException(SqsError.OVER_LIMIT, "Account " + account + " stores " + stored
                + " bytes of messages; " + adding + " more would pass its quota of " + quota
                + " (storedBytes): delete or purge messages, or ask the operator for a larger quota.");
    }

    private static long payload(String body, Map<String, dev.sluice.clientsdk.model.MessageAttributeValue> attributes) {
        return MessageSize.of(body, attributes == null ? Map.of() : attributes);
    }

    private static String ownerOf(String queueUrl) {
        return queueUrl == null ? null : QueueUrl.parse(queueUrl).map(QueueUrl::accountId).orElse(null);
    }
}
