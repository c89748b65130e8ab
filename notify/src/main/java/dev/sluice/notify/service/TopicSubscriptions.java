package dev.sluice.notify.service;

import dev.sluice.notify.core.Subscription;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One topic's subscriptions as its fanout batches need them: a scan of the catalog only when the topic's subscription
 * generation (see {@link NotifyCatalog#SUBSCRIPTION_GENERATIONS}) differs from the one read before the last scan, or
 * that scan is older than {@code maxAge}; else the last scan's list. Every batch still reads the generation (one
 * linearizable point read), so a Subscribe acknowledged by any node is honoured by the next batch here: the
 * generation is rewritten after the subscription and before the acknowledgement. {@code maxAge} bounds what a
 * subscription written without a new generation (its request failed between the two writes) can go unseen.
 * Shared by the topic's fanout pollers on this node; thread-safe.
 */
final class TopicSubscriptions {
    private final NotifyCatalog catalog;
    private final String topicName;
    private final InstantSource clock;
    private final Duration maxAge;
    private volatile Scanned last;

    TopicSubscriptions(NotifyCatalog catalog, String topicName, InstantSource clock, Duration maxAge) {
        this.catalog = catalog;
        this.topicName = topicName;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /** The generation read before a scan, the scan's subscriptions, and when the scan began. */
    private record Scanned(byte[] generation, List<Subscription> subscriptions, long atMillis) {
    }

    CompletableFuture<List<Subscription>> current() {
        return catalog.subscriptionGeneration(topicName).thenCompose(generation -> {
            Scanned seen = last;
            long now = clock.millis();
            if (seen != null && Arrays.equals(seen.generation(), generation) && now - seen.atMillis() < maxAge.toMillis()) {
                return CompletableFuture.completedFuture(seen.subscriptions());
            }
            return catalog.subscriptionsOf(topicName).thenApply(subscriptions -> {
                last = new Scanned(generation, subscriptions, now);
                return subscriptions;
            });
        });
    }
}
