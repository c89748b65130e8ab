package dev.sluice.notify.service;

import dev.sluice.notify.core.CatalogRecordCodec;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import dev.sluice.raftstore.catalog.Catalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Topics and subscriptions in the replicated catalog: topics under {@code sns.topics/<name>},
 * subscriptions under {@code sns.subscriptions/<topic>/<id>} so one prefix scan lists a topic's.
 * Reads are linearizable. Read-modify-write updates are last-writer-wins (the catalog has no
 * compare-and-set): two concurrent SetTopicAttributes on one topic may lose one change.
 */
public final class NotifyCatalog {
    static final String TOPICS = "sns.topics";
    static final String SUBSCRIPTIONS = "sns.subscriptions";
    static final String KEYS = "sns.keys";
    /** Entries read per scan page. */
    private static final int PAGE = 500;

    private final Catalog catalog;

    public NotifyCatalog(Catalog catalog) {
        this.catalog = catalog;
    }

    Catalog raw() {
        return catalog;
    }

    public CompletableFuture<Optional<Topic>> topic(String name) {
        return catalog.get(TOPICS, name).thenApply(value -> value.map(CatalogRecordCodec::decodeTopic));
    }

    /** Stores the topic unless one of that name exists; true when stored. */
    public CompletableFuture<Boolean> createTopic(Topic topic) {
        return catalog.putIfAbsent(TOPICS, topic.name(), CatalogRecordCodec.encode(topic));
    }

    public CompletableFuture<Void> putTopic(Topic topic) {
        return catalog.put(TOPICS, topic.name(), CatalogRecordCodec.encode(topic)).thenApply(replaced -> null);
    }

    public CompletableFuture<Boolean> deleteTopic(String name) {
        return catalog.delete(TOPICS, name);
    }

    /** A page of topics after {@code startAfter} (null: from the first). */
    public CompletableFuture<Catalog.Page> topicPage(String startAfter, int limit) {
        return catalog.scan(TOPICS, "", startAfter, limit);
    }

    public CompletableFuture<List<Topic>> allTopics() {
        return scanAll(TOPICS, "").thenApply(entries -> entries.stream()
                .map(entry -> CatalogRecordCodec.decodeTopic(entry.value())).toList());
    }

    public CompletableFuture<Optional<Subscription>> subscription(String topicName, String id) {
        return catalog.get(SUBSCRIPTIONS, Subscription.key(topicName, id))
                .thenApply(value -> value.map(CatalogRecordCodec::decodeSubscription));
    }

    public CompletableFuture<Void> putSubscription(Subscription subscription) {
        return catalog.put(SUBSCRIPTIONS, subscription.key(), CatalogRecordCodec.encode(subscription))
                .thenApply(replaced -> null);
    }

    public CompletableFuture<Boolean> deleteSubscription(Subscription subscription) {
        return catalog.delete(SUBSCRIPTIONS, subscription.key());
    }

    /** Every subscription of one topic (a linearizable prefix scan). */
    public CompletableFuture<List<Subscription>> subscriptionsOf(String topicName) {
        return scanAll(SUBSCRIPTIONS, topicName + "/").thenApply(entries -> entries.stream()
                .map(entry -> CatalogRecordCodec.decodeSubscription(entry.value())).toList());
    }

    /** A page of subscriptions (all topics when {@code topicName} is null) after a key. */
    public CompletableFuture<Catalog.Page> subscriptionPage(String topicName, String startAfter, int limit) {
        return catalog.scan(SUBSCRIPTIONS, topicName == null ? "" : topicName + "/", startAfter, limit);
    }

    public CompletableFuture<List<Subscription>> allSubscriptions() {
        return scanAll(SUBSCRIPTIONS, "").thenApply(entries -> entries.stream()
                .map(entry -> CatalogRecordCodec.decodeSubscription(entry.value())).toList());
    }

    private CompletableFuture<List<Catalog.Entry>> scanAll(String namespace, String prefix) {
        return scanFrom(namespace, prefix, null, new ArrayList<>());
    }

    private CompletableFuture<List<Catalog.Entry>> scanFrom(String namespace, String prefix, String after,
            List<Catalog.Entry> into) {
        return catalog.scan(namespace, prefix, after, PAGE).thenCompose(page -> {
            into.addAll(page.entries());
            if (!page.more() || page.entries().isEmpty()) {
                return CompletableFuture.completedFuture(into);
            }
            return scanFrom(namespace, prefix, page.entries().get(page.entries().size() - 1).key(), into);
        });
    }
}
