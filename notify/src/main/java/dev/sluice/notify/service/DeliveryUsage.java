package dev.sluice.notify.service;

/**
 * Where notify reports the sqs deliveries it bills while the cluster cannot bill them in the log ({@link #billedInLog}):
 * one call per copy the subscribed queue took (not for a failed send or a copy sent to the subscription's dead-letter
 * queue). Push deliveries (http/s, email, functions) are not reported
 * here: their copy in the delivery queue carries {@code Sluice.Delivery}, and the queue engine bills it when the delete
 * after success removes it (a function's invocation too, when that delete carries its {@code SubscriberFunctions.Result
 * #bill}). notify does not know how usage is kept: the server's composition root records it as the
 * topic owner's usage. Called from fanout workers' threads; implementations must be thread-safe and must not block.
 */
public interface DeliveryUsage {
    /** Keeps nothing: for a notify without metering (tests of delivery alone). */
    DeliveryUsage NONE = (topicOwner, protocol, bodyBytes) -> { };

    /**
     * One copy delivered.
     *
     * @param topicOwner the account that owns the topic, who pays for its deliveries
     * @param protocol the subscription's protocol (sqs, http, https, email, email-json, lambda, function)
     * @param bodyBytes the size of what was delivered: the message body and attributes an sqs copy carries, the
     *     body POSTed or mailed, the envelope a function's event was made from
     */
    void delivered(String topicOwner, String protocol, long bodyBytes);

    /**
     * Completes with true when the queue engine bills an sqs subscription's copies itself: the fanout then names the topic's owner in
     * the send ({@code SendMessageBatchRequest#deliveriesBilledTo}), the apply that stores each copy bills it, exactly
     * once whatever is retried or restarted, and {@link #delivered} is not called for them. False (every node of the
     * cluster does not know that send yet, or nothing is metered): {@link #delivered} counts them at the edge.
     */
    default java.util.concurrent.CompletableFuture<Boolean> billedInLog() {
        return java.util.concurrent.CompletableFuture.completedFuture(false);
    }
}
