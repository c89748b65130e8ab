package dev.sluice.broker.service;

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

/**
 * An account's holdings quotas at the edge, against the cluster's sums as this node last read them
 * ({@link ClusterHoldings}, at most about {@link ClusterHoldings#REFRESH_MILLIS} old): a SendMessage or
 * SendMessageBatch that would take the queue owner's stored bytes past its {@code storedBytes} quota, and a
 * ReceiveMessage while its messages in flight are at its {@code inFlightMessages} quota, are refused with SQS's
 * {@code OverLimit} before anything reaches a queue. Over-shoot bound: what the account's clients send (or receive)
 * in one refresh interval and a round trip, on every node, passes before the sums show it. Thread-safe.
 */
public final class HoldingsQuotaQueueClient extends ForwardingQueueClient {
    private final HoldingsQuotas quotas;

    public HoldingsQuotaQueueClient(QueueClient engine, HoldingsQuotas quotas) {
        super(engine);
        this.quotas = quotas;
    }

    @Override
    public CompletableFuture<SendMessageResponse> sendMessage(SendMessageRequest request) {
        String refusal = quotas.storedBytesRefusal(ownerOf(request.queueUrl()),
                () -> payload(request.messageBody(), request.messageAttributes()));
        return refusal != null ? overLimit(refusal) : engine.sendMessage(request);
    }

    @Override
    public CompletableFuture<SendMessageBatchResponse> sendMessageBatch(SendMessageBatchRequest request) {
        String refusal = quotas.storedBytesRefusal(ownerOf(request.queueUrl()), () -> {
            long bytes = 0;
            for (SendMessageBatchRequestEntry entry : request.entries() == null
                    ? java.util.List.<SendMessageBatchRequestEntry>of() : request.entries()) {
                bytes += payload(entry.messageBody(), entry.messageAttributes());
            }
            return bytes;
        });
        return refusal != null ? overLimit(refusal) : engine.sendMessageBatch(request);
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
        String refusal = quotas.inFlightRefusal(ownerOf(request.queueUrl()));
        return refusal != null ? overLimit(refusal) : engine.receiveMessage(request);
    }

    private static <T> CompletableFuture<T> overLimit(String refusal) {
        return CompletableFuture.failedFuture(new SqsException(SqsError.OVER_LIMIT, refusal));
    }

    private static long payload(String body, Map<String, dev.sluice.clientsdk.model.MessageAttributeValue> attributes) {
        return MessageSize.of(body, attributes == null ? Map.of() : attributes);
    }

    private static String ownerOf(String queueUrl) {
        return queueUrl == null ? null : QueueUrl.parse(queueUrl).map(QueueUrl::accountId).orElse(null);
    }
}
