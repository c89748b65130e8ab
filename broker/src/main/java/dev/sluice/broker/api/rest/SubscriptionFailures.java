package dev.sluice.broker.api.rest;

import dev.sluice.notify.service.DeliveryHealth;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The subscriptions other nodes fail to deliver to right now. A failed delivery's retry may be taken by any node, and
 * each node knows only its own attempts ({@link DeliveryHealth}), so the topic page asks them all: a subscription is
 * failing when any node's latest attempt failed and its retry is not yet overdue.
 */
public interface SubscriptionFailures {

    /** A failure as node {@code node} knows it. */
    record NodeFailure(String node, DeliveryHealth.Failure failure) {
    }

    /** A single node has no others. */
    SubscriptionFailures NONE = () -> CompletableFuture.completedFuture(Map.of());

    /** By subscription id, the latest failure any other node knows of (nodes that do not answer are left out). */
    CompletableFuture<Map<String, NodeFailure>> elsewhere();
}
