package dev.sluice.notify.service;

import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what multi-step operations left without an owner: subscriptions whose topic is gone (a crash
 * in DeleteTopic between deleting the topic and its subscriptions) and outbox or delivery queues whose
 * topic or subscription is gone (a crash in DeleteTopic or Unsubscribe, a CreateTopic that lost a race
 * or failed after making its outbox).
 *
 * <p>Safety: CreateTopic and Subscribe make the queue first and the catalog record after, and the
 * refresh reads topics and subscriptions concurrently, so one refresh can see a live thing without its
 * owner. Something is therefore deleted only when it was ownerless on two refreshes in a row, and an
 * internal queue only when it is also older than {@code orphanGrace}. Every node sweeps; the deletes are
 * idempotent (a catalog delete of a missing key, a queue delete of a missing queue). Called on the
 * notify timer thread only, so its state needs no locking.
 */
final class OrphanReaper {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

    private final NotifyServices services;
    /** One sweep at a time: the next refresh skips it while one still runs. */
    private final AtomicBoolean sweeping = new AtomicBoolean();
    /** Subscription keys ownerless on the previous sweep. */
    private Set<String> ownerlessSubscriptions = Set.of();
    /** Internal queue names ownerless on the previous sweep. */
    private Set<String> ownerlessQueues = Set.of();

    OrphanReaper(NotifyServices services) {
        this.services = services;
    }

    /**
     * Starts one sweep over a catalog snapshot unless one still runs. Queues are listed after the snapshot
     * was read, so a queue made since looks ownerless at most until the next sweep.
     */
    void sweep(List<Topic> topics, List<Subscription> subscriptions) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        sweepOnce(topics, subscriptions).whenComplete((done, failure) -> {
            sweeping.set(false);
            if (failure != null) {
                LOG.debug("orphan sweep did not finish; the next refresh tries again", failure);
            }
        });
    }

    private CompletableFuture<Void> sweepOnce(List<Topic> topics, List<Subscription> subscriptions) {
        Set<String> topicNames = topics.stream().map(Topic::name).collect(Collectors.toSet());
        Set<String> ownerless = new HashSet<>();
        CompletableFuture<Void> subscriptionsDone = CompletableFuture.completedFuture(null);
        for (Subscription subscription : subscriptions) {
            if (topicNames.contains(subscription.topicName())) {
                continue;
            }
            ownerless.add(subscription.key());
            if (ownerlessSubscriptions.contains(subscription.key())) {
                LOG.info("deleting subscription {} of deleted topic {}", subscription.id(), subscription.topicName());
                // Its delivery queue loses its owner with it and goes on a later sweep.
                subscriptionsDone = subscriptionsDone.thenCompose(done -> services.catalog().deleteSubscription(subscription))
                        .thenApply(deleted -> null);
            }
        }
        ownerlessSubscriptions = ownerless;
        Set<String> owned = new HashSet<>();
        topics.forEach(topic -> owned.add(InternalQueues.outboxName(topic)));
        subscriptions.forEach(subscription -> owned.add(InternalQueues.deliveryName(subscription)));
        return subscriptionsDone.thenCompose(done -> services.internalQueues().listNotifyQueues())
                .thenComposeAsync(names -> reapQueues(names, owned), services.timers());
    }

    private CompletableFuture<Void> reapQueues(List<String> names, Set<String> owned) {
        Set<String> ownerless = new HashSet<>();
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        Instant oldEnough = services.clock().instant().minus(services.config().orphanGrace());
        for (String name : names) {
            if (owned.contains(name)) {
                continue;
            }
            ownerless.add(name);
            if (ownerlessQueues.contains(name)) {
                done = done.thenCompose(previous -> services.internalQueues().createdAt(name)).thenCompose(created -> {
                    if (created.isEmpty() || created.get().isAfter(oldEnough)) {
                        return CompletableFuture.completedFuture(null);
                    }
                    LOG.info("deleting internal queue {}: its topic or subscription no longer exists", name);
                    return services.internalQueues().delete(name);
                });
            }
        }
        ownerlessQueues = ownerless;
        return done;
    }
}
