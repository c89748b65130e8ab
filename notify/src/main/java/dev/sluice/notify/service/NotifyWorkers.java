package dev.sluice.notify.service;

import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's workers in line with the catalog: {@code fanoutPollersPerTopic} {@link FanoutWorker}s a topic and one
 * {@link DeliveryWorker} an HTTP(S) subscription, re-read every {@code refreshInterval} and at once after
 * a local change. At most {@code maxWorkers} run; beyond that the rest wait (logged) for room. Every
 * node runs them; the queues' receives divide the work. Each refresh also hands its snapshot to the
 * {@link OrphanReaper}. Reconciliation runs on the timer thread only.
 */
final class NotifyWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyWorkers.class);

    private final NotifyServices services;
    private final Map<String, List<FanoutWorker>> fanouts = new HashMap<>();
    private final Map<String, DeliveryWorker> deliveries = new HashMap<>();
    private final OrphanReaper reaper;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean closed;

    NotifyWorkers(NotifyServices services) {
        this.services = services;
        this.reaper = new OrphanReaper(services);
    }

    void start() {
        services.timers().scheduleWithFixedDelay(this::refresh, 0, services.config().refreshInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Asks for a refresh now (coalesced with one already running). */
    void refreshSoon() {
        if (!closed) {
            services.timers().execute(this::refresh);
        }
    }

    private void refresh() {
        if (closed) {
            return;
        }
        if (!refreshing.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        services.catalog().allTopics().thenCombine(services.catalog().allSubscriptions(), Snapshot::new)
                .whenComplete((snapshot, failure) -> services.timers().execute(() -> {
                    try {
                        if (failure != null) {
                            LOG.debug("cannot read topics and subscriptions now", failure);
                        } else if (!closed) {
                            apply(snapshot.topics(), snapshot.subscriptions());
                            reaper.sweep(snapshot.topics(), snapshot.subscriptions());
                        }
                    } finally {
                        refreshing.set(false);
                        if (again.getAndSet(false)) {
                            refresh();
                        }
                    }
                }));
    }

    private record Snapshot(List<Topic> topics, List<Subscription> subscriptions) {
    }

    private void apply(List<Topic> topics, List<Subscription> subscriptions) {
        Map<String, Topic> byName = new HashMap<>();
        topics.forEach(topic -> byName.put(topic.name(), topic));
        Set<String> liveTopics = new HashSet<>();
        for (Topic topic : topics) {
            String key = topic.name() + "/" + topic.id();
            liveTopics.add(key);
            if (!fanouts.containsKey(key) && room()) {
                List<FanoutWorker> workers = new java.util.ArrayList<>();
                TopicSubscriptions ofTopic = new TopicSubscriptions(services.catalog(), topic.name(),
                        services.clock(), services.config().refreshInterval());
                HeldFifoCopies held = new HeldFifoCopies();
                OutboxClaims claims = new OutboxClaims();
                for (int i = 0; i < services.config().fanoutPollersPerTopic(); i++) {
                    workers.add(new FanoutWorker(topic, services, ofTopic, held, claims));
                }
                fanouts.put(key, workers);
                workers.forEach(FanoutWorker::start);
            }
        }
        fanouts.keySet().removeIf(key -> {
            if (liveTopics.contains(key)) {
                return false;
            }
            fanouts.get(key).forEach(FanoutWorker::stop);
            return true;
        });
        Set<String> liveSubscriptions = new HashSet<>();
        services.health().retainOnly(subscriptions);
        for (Subscription subscription : subscriptions) {
            Topic topic = byName.get(subscription.topicName());
            if (!subscription.push() || topic == null) {
                continue;
            }
            liveSubscriptions.add(subscription.id());
            DeliveryWorker worker = deliveries.get(subscription.id());
            if (worker != null) {
                worker.update(subscription, topic);
            } else if (room()) {
                worker = new DeliveryWorker(subscription, topic, services);
                deliveries.put(subscription.id(), worker);
                worker.start();
            }
        }
        deliveries.keySet().removeIf(id -> {
            if (liveSubscriptions.contains(id)) {
                return false;
            }
            deliveries.get(id).stop();
            return true;
        });
    }

    private boolean room() {
        if (fanouts.size() * services.config().fanoutPollersPerTopic() + deliveries.size() < services.config().maxWorkers()) {
            return true;
        }
        LOG.warn("{} notify workers already run on this node (notify maxWorkers); more wait for room",
                services.config().maxWorkers());
        return false;
    }

    /** Stops every worker; called once, on shutdown. */
    void close() {
        closed = true;
        services.timers().execute(() -> {
            fanouts.values().forEach(workers -> workers.forEach(FanoutWorker::stop));
            deliveries.values().forEach(DeliveryWorker::stop);
        });
    }
}
