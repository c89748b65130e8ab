package dev.sluice.notify.service;

import dev.sluice.clientsdk.SnsError;
import dev.sluice.notify.core.CatalogRecordCodec;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.catalog.CountSlots;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Topics and subscriptions in the replicated catalog: topics under {@code sns.topics/<name>},
 * subscriptions under {@code sns.subscriptions/<topic>/<id>} so one prefix scan lists a topic's.
 * Reads are linearizable.
 *
 * <p>Every change to an existing topic or subscription goes through {@link #updateTopic} or
 * {@link #updateSubscription}: read, apply the change, and write with the catalog's compare-and-set
 * ({@code replaceIf} over the exact bytes read), re-reading and re-applying on a conflict up to
 * {@link #UPDATE_ATTEMPTS} times. So concurrent updates of one record never lose each other's change
 * (each is applied to the other's result), and an update never recreates a record that was deleted
 * meanwhile: it answers the caller's NotFound instead. Creation is {@code putIfAbsent} (topics) or a
 * fresh key (subscriptions); deletion is unconditional. What multi-step operations (DeleteTopic, a
 * Subscribe racing it, a crash part-way) can still leave behind, {@link NotifyWorkers} reaps.
 */
public final class NotifyCatalog {
    static final String TOPICS = "sns.topics";
    static final String SUBSCRIPTIONS = "sns.subscriptions";
    static final String KEYS = "sns.keys";
    /** One record per subscription of an account with exact count quotas, keyed {@link #subscriptionSlot}. */
    public static final String SUBSCRIPTION_SLOTS = "sns.subscription-slots";
    private static final byte[] SLOT = new byte[0];
    /**
     * One record per topic, rewritten with a fresh value after every write to the topic's subscriptions (and before the
     * write is acknowledged): a reader that finds the value it last saw knows the subscriptions it last scanned are
     * still the topic's (see {@link TopicSubscriptions}).
     */
    static final String SUBSCRIPTION_GENERATIONS = "sns.subscription-generations";
    /** The generation of a topic whose subscriptions were not written since generations began. */
    static final byte[] NO_GENERATION = new byte[0];
    /** Conflicting writes an update re-reads and retries before it fails with ConcurrentAccess. */
    static final int UPDATE_ATTEMPTS = 64;
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
    /**
     * Stores a new topic unless its name exists or its account owns {@code quota} topics already (keys under
     * {@code accountPrefix}), in one catalog apply (a command of feature level 2).
     */
    public CompletableFuture<Catalog.Claim> createTopicWithin(Topic topic, String accountPrefix, long quota) {
        return catalog.putIfFewer(TOPICS, topic.name(), CatalogRecordCodec.encode(topic), accountPrefix, quota);
    }

    /**
     * The slot key of a subscription: its owner's account, then a digest of its topic, protocol and endpoint (which
     * identify it, as Subscribe's idempotency does; an endpoint may be longer than a catalog key).
     */
    static String subscriptionSlot(String ownerAccount, String topicName, String protocol, String endpoint) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest((topicName + "\n" + protocol + "\n"
                    + endpoint).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return ownerAccount + "/" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException everyJvmHasIt) {
            throw new IllegalStateException(everyJvmHasIt);
        }
    }

    /**
     * Claims a subscription's slot within its owner's quota in one apply (a command of feature level 2), the claim
     * made at {@code claim} ({@link CountSlots#claimedAt}).
     */
    CompletableFuture<Catalog.Claim> claimSubscriptionSlot(String account, String slot, long quota, byte[] claim) {
        return catalog.putIfFewer(SUBSCRIPTION_SLOTS, slot, claim, account + "/", quota);
    }

    /**
     * Frees the account's slots a crash left without their subscription: not among {@code live} (the slots of the
     * subscriptions it owns), claimed over {@link CountSlots#CLAIM_GRACE} before {@code nowMillis}. Counts them.
     */
    CompletableFuture<Integer> freeAbandonedSubscriptionSlots(String account, java.util.Set<String> live, long nowMillis) {
        return CountSlots.freeAbandoned(catalog, SUBSCRIPTION_SLOTS, account + "/", nowMillis,
                slot -> CompletableFuture.completedFuture(live.contains(slot)));
    }

    /** Gives back the slot a failed create claimed, unless a newer claim holds it now. */
    CompletableFuture<Boolean> releaseSubscriptionSlot(String slot, byte[] claim) {
        return catalog.deleteIf(SUBSCRIPTION_SLOTS, slot, claim);
    }

    /** Gives a subscription that exists a slot (it had none: created before slots were claimed). */
    CompletableFuture<Boolean> giveSubscriptionSlot(String slot) {
        return catalog.putIfAbsent(SUBSCRIPTION_SLOTS, slot, SLOT);
    }

    CompletableFuture<Boolean> releaseSubscriptionSlot(String slot) {
        return catalog.delete(SUBSCRIPTION_SLOTS, slot);
    }

    public CompletableFuture<Boolean> createTopic(Topic topic) {
        return catalog.putIfAbsent(TOPICS, topic.name(), CatalogRecordCodec.encode(topic));
    }

    /**
     * Applies {@code change} to the stored topic with compare-and-set, retrying on a concurrent change.
     * Completes with the stored result; fails with {@code notFound} when the topic does not exist (or was
     * deleted meanwhile), with whatever {@code change} throws (a validation failure), or with
     * ConcurrentAccess after {@link #UPDATE_ATTEMPTS} conflicts in a row.
     */
    public CompletableFuture<Topic> updateTopic(String name, UnaryOperator<Topic> change,
            Supplier<? extends RuntimeException> notFound) {
        return update(TOPICS, name, CatalogRecordCodec::decodeTopic, CatalogRecordCodec::encode, change, notFound);
    }

    public CompletableFuture<Boolean> deleteTopic(String name) {
        return catalog.delete(TOPICS, name);
    }

    /** A page of topics whose keys start with {@code prefix}, after {@code startAfter} (null: from the first). */
    public CompletableFuture<Catalog.Page> topicPage(String prefix, String startAfter, int limit) {
        return catalog.scan(TOPICS, prefix, startAfter, limit);
    }

    public CompletableFuture<List<Topic>> allTopics() {
        return scanAll(TOPICS, "").thenApply(entries -> entries.stream()
                .map(entry -> CatalogRecordCodec.decodeTopic(entry.value())).toList());
    }

    public CompletableFuture<Optional<Subscription>> subscription(String topicName, String id) {
        return catalog.get(SUBSCRIPTIONS, Subscription.key(topicName, id))
                .thenApply(value -> value.map(CatalogRecordCodec::decodeSubscription));
    }

    /** Like {@link #updateTopic}, for one subscription. */
    public CompletableFuture<Subscription> updateSubscription(String topicName, String id,
            UnaryOperator<Subscription> change, Supplier<? extends RuntimeException> notFound) {
        return update(SUBSCRIPTIONS, Subscription.key(topicName, id), CatalogRecordCodec::decodeSubscription,
                CatalogRecordCodec::encode, change, notFound)
                .thenCompose(updated -> nextGeneration(topicName).thenApply(bumped -> updated));
    }

    private <T> CompletableFuture<T> update(String namespace, String key, Function<byte[], T> decode,
            Function<T, byte[]> encode, UnaryOperator<T> change, Supplier<? extends RuntimeException> notFound) {
        return catalog.update(namespace, key, read -> CompletableFuture.completedFuture(encode.apply(change.apply(decode.apply(read)))),
                UPDATE_ATTEMPTS, () -> SnsError.CONCURRENT_ACCESS.exception("Too many concurrent changes to " + key
                        + "; perform the operations sequentially.")).thenApply(stored -> decode.apply(stored.orElseThrow(notFound)));
    }

    /** Stores a new subscription (its key is a fresh id); never used to change an existing one. */
    public CompletableFuture<Void> putSubscription(Subscription subscription) {
        return catalog.put(SUBSCRIPTIONS, subscription.key(), CatalogRecordCodec.encode(subscription))
                .thenCompose(replaced -> nextGeneration(subscription.topicName()));
    }

    public CompletableFuture<Boolean> deleteSubscription(Subscription subscription) {
        return catalog.delete(SUBSCRIPTIONS, subscription.key())
                .thenCompose(deleted -> nextGeneration(subscription.topicName()).thenApply(bumped -> deleted));
    }

    /**
     * The topic's subscription generation (a linearizable point read): {@link #NO_GENERATION} when none was written.
     * Changes after every subscription write of the topic.
     */
    public CompletableFuture<byte[]> subscriptionGeneration(String topicName) {
        return catalog.get(SUBSCRIPTION_GENERATIONS, topicName).thenApply(value -> value.orElse(NO_GENERATION));
    }

    /**
     * A fresh value, unique without coordination: a write that fails between the subscription and this leaves the
     * old generation, which readers still re-check after {@link TopicSubscriptions}' maximum age (and the caller's
     * retry of the failed request writes it).
     */
    private CompletableFuture<Void> nextGeneration(String topicName) {
        byte[] generation = java.util.UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return catalog.put(SUBSCRIPTION_GENERATIONS, topicName, generation).thenApply(replaced -> null);
    }

    /**
     * Every subscription of one topic (a linearizable prefix scan). The prefix of a default-account topic named like
     * an account id also covers that account's topics' subscriptions: only the topic's own are kept.
     */
    public CompletableFuture<List<Subscription>> subscriptionsOf(String topicName) {
        return scanAll(SUBSCRIPTIONS, topicName + "/").thenApply(entries -> entries.stream()
                .map(entry -> CatalogRecordCodec.decodeSubscription(entry.value()))
                .filter(subscription -> subscription.topicName().equals(topicName)).toList());
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
