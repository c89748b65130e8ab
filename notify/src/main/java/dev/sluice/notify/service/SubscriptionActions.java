package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.clientsdk.signature.StandardWebhookSignature;
import dev.sluice.notify.core.AttributeLimits;
import dev.sluice.notify.core.Caller;
import dev.sluice.notify.core.DeliveryPolicy;
import dev.sluice.notify.core.SnsFilterPolicy;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import dev.sluice.notify.core.TopicArn;
import dev.sluice.raftstore.catalog.Catalog;
import dev.sluice.raftstore.catalog.CountSlots;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Subscribe, ConfirmSubscription, Unsubscribe, the subscription lists and attributes. An HTTP(S)
 * subscription gets a delivery queue and a SubscriptionConfirmation in it before it is visible; nothing
 * else reaches it until confirmed. A lambda / function subscription gets a delivery queue and is confirmed
 * at once, as in SNS (which does not check either that the function exists). Thread-safe; never blocks.
 */
public final class SubscriptionActions {
    /** What Subscribe answers for an unconfirmed subscription (unless asked for its ARN). */
    static final String PENDING = "pending confirmation";
    /** What ListSubscriptions(ByTopic) show as an unconfirmed subscription's ARN: SNS spells it differently there. */
    static final String LISTED_PENDING = "PendingConfirmation";
    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+");
    private static final Set<String> SETTABLE = Set.of("DeliveryPolicy", "FilterPolicy", "FilterPolicyScope",
            "RawMessageDelivery", "RedrivePolicy", "SubscriptionRoleArn");

    /** One row of ListSubscriptions(ByTopic). */
    public record Summary(String subscriptionArn, String owner, String protocol, String endpoint, String topicArn) {
    }

    private final NotifyCatalog catalog;
    private final InternalQueues queues;
    private final QueueClient queueClient;
    private final TopicActions topics;
    private final Envelopes envelopes;
    private final OutboundPolicy outbound;
    private final Supplier<UUID> ids;
    private final SecureRandom random;
    private final Timestamps timestamps;
    private final int deliveryVisibilitySeconds;
    private final boolean emailEnabled;
    private final CompletableFuture<?> keysReady;
    private final Runnable topologyChanged;
    /** Null when no function bridge runs: lambda / function subscriptions are refused. */
    private final FunctionDeliveries functionDeliveries;
    private final DeliveryHealth health;
    private final SubscriberQueues subscriberQueues;
    /** Accounts whose subscriptions this node gave quota slots ({@link #backfill}). */
    private final Set<String> slotted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_SLOTTED_ACCOUNTS = 10_000;

    SubscriptionActions(SubscriberQueues subscriberQueues, NotifyCatalog catalog, InternalQueues queues, QueueClient queueClient, TopicActions topics,
            Envelopes envelopes, OutboundPolicy outbound, Supplier<UUID> ids, SecureRandom random, Timestamps timestamps,
            int deliveryVisibilitySeconds, boolean emailEnabled, CompletableFuture<?> keysReady,
            Runnable topologyChanged, FunctionDeliveries functionDeliveries, DeliveryHealth health) {
        this.catalog = catalog;
        this.queues = queues;
        this.queueClient = queueClient;
        this.topics = topics;
        this.envelopes = envelopes;
        this.outbound = outbound;
        this.ids = ids;
        this.random = random;
        this.timestamps = timestamps;
        this.deliveryVisibilitySeconds = deliveryVisibilitySeconds;
        this.emailEnabled = emailEnabled;
        this.keysReady = keysReady;
        this.topologyChanged = topologyChanged;
        this.functionDeliveries = functionDeliveries;
        this.health = health;
        this.subscriberQueues = subscriberQueues;
    }

    /**
     * Subscribes for {@code caller}, who owns the subscription (the topic's Policy let it Subscribe). An sqs
     * endpoint of another account than the topic's needs that queue's Policy to allow the topic to send to it.
     */
    public CompletableFuture<String> subscribe(Caller caller, String topicArn, String protocol, String endpoint,
            Map<String, String> attributes, boolean returnSubscriptionArn) {
        return Futures.of(() -> {
            TopicArn arn = TopicArn.require("TopicArn", topicArn);
            String checkedProtocol = checkProtocol(protocol);
            checkEndpoint(checkedProtocol, endpoint);
            String subscriber = topics.accountOf(caller);
            Map<String, String> settable = new TreeMap<>();
            attributes.forEach((name, value) -> {
                checkSettable(name, value, attributes.get("FilterPolicyScope"), attributes.get("FilterPolicy"),
                        checkedProtocol);
                settable.put(name, value);
            });
            sameKindOfQueue(deadLetterArn(settable, subscriber), arn.topicName());
            if (Subscription.FUNCTION_PROTOCOLS.contains(checkedProtocol) && !endpoint.split(":", -1)[4].equals(subscriber)) {
                // Functions have no resource policy here that could let another account's topic invoke them.
                throw SnsError.AUTHORIZATION_ERROR.exception("Not authorized to subscribe function " + endpoint
                        + ": it belongs to another account");
            }
            return topics.require(arn).thenCompose(topic -> checkQueueEndpoint(topics.arn(topic.name()), checkedProtocol,
                    endpoint).thenCompose(reachable -> catalog.subscriptionsOf(topic.name())).thenCompose(existing -> {
                checkTopicKind(topic, checkedProtocol, endpoint);
                for (Subscription subscription : existing) {
                    if (subscription.protocol().equals(checkedProtocol) && subscription.endpoint().equals(endpoint)) {
                        if (!subscription.attributes().equals(settable) && !settable.isEmpty()) {
                            throw SnsError.invalidParameter("Attributes Reason: Subscription already exists with "
                                    + "different attributes");
                        }
                        return CompletableFuture.completedFuture(shownArn(arn, subscription, returnSubscriptionArn));
                    }
                }
                // A push subscription's confirmation is signed: wait for start-up to load the keys, without blocking.
                return withinSubscriptionQuota(subscriber).thenCompose(owned -> keysReady.thenCompose(ready ->
                                withinSlot(subscriber, owned, topic.name(), checkedProtocol, endpoint,
                                        () -> create(arn, topic, subscriber, checkedProtocol, endpoint, settable))))
                        .thenCompose(subscription -> unlessTopicDeleted(topic, subscription))
                        .thenApply(subscription -> shownArn(arn, subscription, returnSubscriptionArn));
            }));
        });
    }

    /**
     * Completes when {@code account} owns fewer subscriptions than its quota (SubscriptionLimitExceeded otherwise,
     * before anything is written). Counted from the catalog (every subscription read, only when the account has a
     * quota) before the create: two Subscribes racing on two nodes may both take the last slot.
     */
    private CompletableFuture<List<Subscription>> withinSubscriptionQuota(String account) {
        long quota = topics.subscriptionQuota(account);
        if (quota <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        return catalog.allSubscriptions().thenApply(all -> {
            String defaultAccount = queues.accountId();
            List<Subscription> owned = all.stream()
                    .filter(subscription -> account.equals(subscription.ownerAccount(defaultAccount))).toList();
            if (owned.size() >= quota) {
                throw limitExceeded(account, owned.size());
            }
            return owned;
        });
    }

    private static RuntimeException limitExceeded(String account, long owned) {
        return SnsError.SUBSCRIPTION_LIMIT_EXCEEDED.exception("Subscription limit exceeded: account " + account + " owns "
                + owned + " subscriptions, its quota");
    }

    /**
     * Runs {@code create} within the account's subscriptions quota, exactly once the cluster's feature level allows
     * ({@link TopicActions#exactCountQuotas}): a slot record per subscription is claimed first with a catalog write
     * that counts the account's slots in the same apply, so of Subscribes racing on any nodes for the last slot one
     * gets it. A create that fails gives the slot it claimed back (unless the subscription was stored after all);
     * Unsubscribe and DeleteTopic give it back ({@link TopicActions#deleteSubscriptionState}). The account's
     * subscriptions from before get slots (from {@code owned}) before this node's first claim for it. A claim refused
     * FULL first frees the slots a crash between claim and create left ({@link CountSlots}), then claims once more.
     */
    private CompletableFuture<Subscription> withinSlot(String account, List<Subscription> owned, String topicName,
            String protocol, String endpoint, Supplier<CompletableFuture<Subscription>> create) {
        long quota = topics.subscriptionQuota(account);
        if (quota <= 0 || account.equals(queues.accountId())) {
            return create.get();
        }
        String slot = NotifyCatalog.subscriptionSlot(account, topicName, protocol, endpoint);
        long now = timestamps.clock().millis();
        byte[] claim = CountSlots.claimedAt(now);
        return topics.exactCountQuotas().thenCompose(exact -> !exact ? create.get()
                : backfill(account, owned).thenCompose(given -> catalog.claimSubscriptionSlot(account, slot, quota, claim))
                        .thenCompose(result -> result != Catalog.Claim.FULL ? CompletableFuture.completedFuture(result)
                                : freeAbandonedSlots(account, owned, now).thenCompose(freed -> freed == 0
                                        ? CompletableFuture.completedFuture(result)
                                        : catalog.claimSubscriptionSlot(account, slot, quota, claim)))
                        .thenCompose(result -> switch (result) {
                            case FULL -> throw limitExceeded(account, quota);
                            case EXISTS -> create.get();
                            case STORED -> create.get().handle((created, failed) -> failed == null
                                    ? CompletableFuture.completedFuture(created)
                                    : releaseUnlessStored(slot, claim, topicName, protocol, endpoint, failed))
                                    .thenCompose(created -> created);
                        }));
    }

    /** The account's slots a crash left without their subscription ({@link CountSlots}): not one of {@code owned}'s. */
    private CompletableFuture<Integer> freeAbandonedSlots(String account, List<Subscription> owned, long now) {
        Set<String> live = new java.util.TreeSet<>();
        owned.forEach(subscription -> live.add(NotifyCatalog.subscriptionSlot(account, subscription.topicName(),
                subscription.protocol(), subscription.endpoint())));
        return catalog.freeAbandonedSubscriptionSlots(account, live, now);
    }

    private CompletableFuture<Subscription> releaseUnlessStored(String slot, byte[] claim, String topicName,
            String protocol, String endpoint, Throwable failed) {
        return catalog.subscriptionsOf(topicName).thenCompose(now -> now.stream().anyMatch(subscription ->
                        subscription.protocol().equals(protocol) && subscription.endpoint().equals(endpoint))
                        ? CompletableFuture.completedFuture(true) : catalog.releaseSubscriptionSlot(slot, claim))
                .<Subscription>handle((released, unknown) -> {
                    throw failed instanceof java.util.concurrent.CompletionException done ? done
                            : new java.util.concurrent.CompletionException(failed);
                });
    }

    /** Gives each of the account's subscriptions a slot, once per run of this node (bounded: forgotten all at once). */
    private CompletableFuture<Void> backfill(String account, List<Subscription> owned) {
        if (slotted.contains(account)) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(owned.stream().map(subscription -> catalog.giveSubscriptionSlot(
                NotifyCatalog.subscriptionSlot(account, subscription.topicName(), subscription.protocol(),
                        subscription.endpoint()))).toArray(CompletableFuture[]::new)).thenRun(() -> {
                            if (slotted.size() >= MAX_SLOTTED_ACCOUNTS) {
                                slotted.clear();
                            }
                            slotted.add(account);
                        });
    }

    /**
     * A DeleteTopic that listed the topic's subscriptions before this one was stored did not delete it: so
     * re-read the topic after storing. Either DeleteTopic's listing saw the subscription, or this read sees
     * the topic gone (or re-created under a new id) and removes what it just made, answering NotFound.
     */
    private CompletableFuture<Subscription> unlessTopicDeleted(Topic topic, Subscription subscription) {
        return catalog.topic(topic.name()).thenCompose(now -> {
            if (now.isPresent() && now.get().id().equals(topic.id())) {
                return CompletableFuture.completedFuture(subscription);
            }
            return topics.deleteSubscriptionState(subscription).thenApply(deleted -> {
                throw TopicActions.topicNotFound();
            });
        });
    }

    private static String shownArn(TopicArn topic, Subscription subscription, boolean returnSubscriptionArn) {
        return subscription.confirmed() || returnSubscriptionArn ? topic.subscription(subscription.id()) : PENDING;
    }

    /**
     * An sqs endpoint in the topic's account passes (as before accounts); one in another account must have a Policy
     * that allows the topic to SendMessage (SNS's service principal, {@code aws:SourceArn} the topic), else
     * AuthorizationError, the same whether the queue is missing or refuses, so another account's queue names are not
     * disclosed. Fanout then delivers there as the topic.
     */
    private CompletableFuture<Void> checkQueueEndpoint(TopicArn topic, String protocol, String endpoint) {
        if (!protocol.equals("sqs")) {
            return CompletableFuture.completedFuture(null);
        }
        String queueAccount = endpoint.split(":", -1)[4];
        if (queueAccount.equals(topic.accountId())) {
            return CompletableFuture.completedFuture(null);
        }
        return subscriberQueues.allowsTopic(queues.urlOfArn(endpoint).orElseThrow(), endpoint, queueAccount,
                topic.toString(), topic.accountId()).thenAccept(allowed -> {
                    if (!allowed) {
                        throw SnsError.AUTHORIZATION_ERROR.exception("Not authorized to deliver to endpoint " + endpoint
                                + ": its Policy does not allow sqs:SendMessage from " + topic);
                    }
                });
    }

    private CompletableFuture<Subscription> create(TopicArn arn, Topic topic, String subscriber, String protocol,
            String endpoint, Map<String, String> attributes) {
        String id = ids.get().toString();
        String defaultAccount = queues.accountId();
        if (Subscription.FUNCTION_PROTOCOLS.contains(protocol)) {
            Subscription subscription = new Subscription(id, topic.name(), protocol, endpoint, attributes, true, null, null)
                    .ownedBy(subscriber, defaultAccount);
            return queues.createDeliveryQueue(subscription, maxAttempts(subscription, topic.attributes()),
                            deadLetterArn(attributes, null), functionDeliveries.visibilitySeconds())
                    .thenCompose(created -> store(subscription));
        }
        if (!Subscription.PUSH_PROTOCOLS.contains(protocol)) {
            return store(new Subscription(id, topic.name(), protocol, endpoint, attributes, true, null, null)
                    .ownedBy(subscriber, defaultAccount));
        }
        byte[] token = new byte[32];
        random.nextBytes(token);
        Subscription subscription = new Subscription(id, topic.name(), protocol, endpoint, attributes, false,
                HexFormat.of().formatHex(token), StandardWebhookSignature.newSecret(random)).ownedBy(subscriber,
                        defaultAccount);
        String signatureVersion = topic.attributes().getOrDefault("SignatureVersion", "1");
        String messageId = ids.get().toString();
        String confirmation = envelopes.confirmation(arn, messageId, subscription.token(), timestamps.now(),
                signatureVersion);
        return queues.createDeliveryQueue(subscription, maxAttempts(subscription, topic.attributes()),
                        deadLetterArn(attributes, null), deliveryVisibilitySeconds)
                .thenCompose(created -> queueClient.sendMessage(new SendMessageRequest(queues.deliveryUrl(subscription),
                        confirmation, null, DeliveryMessages.attributes("SubscriptionConfirmation", messageId), null, null,
                        null)))
                .thenCompose(sent -> store(subscription));
    }

    /** Stores a new subscription and tells the workers. */
    private CompletableFuture<Subscription> store(Subscription subscription) {
        return catalog.putSubscription(subscription).thenApply(stored -> {
            topologyChanged.run();
            return subscription;
        });
    }

    /** FIFO topics deliver to SQS queues only; FIFO queues subscribe to FIFO topics only. */
    private static void checkTopicKind(Topic topic, String protocol, String endpoint) {
        if (topic.fifo() && !protocol.equals("sqs")) {
            throw SnsError.invalidParameter("Invalid protocol type: " + protocol + " (FIFO topics deliver to SQS queues)");
        }
        if (!topic.fifo() && protocol.equals("sqs") && endpoint.endsWith(".fifo")) {
            throw SnsError.invalidParameter("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed "
                    + "to standard SNS topics");
        }
    }

    private String checkProtocol(String protocol) {
        if (protocol == null || protocol.isEmpty()) {
            throw SnsError.invalidParameter("Protocol Reason: no value for required parameter");
        }
        String lower = protocol.toLowerCase(Locale.ROOT);
        if (!Subscription.PROTOCOLS.contains(lower)) {
            throw SnsError.invalidParameter("Invalid protocol type: " + AttributeLimits.shown(protocol));
        }
        if (lower.startsWith("email") && !emailEnabled) {
            throw SnsError.invalidParameter("Protocol Reason: email subscriptions need an SMTP server (--smtp-server)");
        }
        if (Subscription.FUNCTION_PROTOCOLS.contains(lower) && functionDeliveries == null) {
            throw SnsError.invalidParameter("Protocol Reason: " + lower + " subscriptions need the function bridge, "
                    + "which does not run here");
        }
        return lower;
    }

    private void checkEndpoint(String protocol, String endpoint) {
        if (endpoint == null || endpoint.isEmpty()) {
            throw SnsError.invalidParameter("Endpoint Reason: no value for required parameter");
        }
        AttributeLimits.checkEndpoint(endpoint);
        if (protocol.equals("sqs")) {
            if (queues.urlOfArn(endpoint).isEmpty()) {
                throw SnsError.invalidParameter("SQS endpoint ARN");
            }
            return;
        }
        if (Subscription.FUNCTION_PROTOCOLS.contains(protocol)) {
            if (Subscription.functionName(endpoint).isEmpty()) {
                throw SnsError.invalidParameter("Lambda endpoint ARN");
            }
            return;
        }
        if (protocol.startsWith("email")) {
            if (!EMAIL.matcher(endpoint).matches()) {
                throw SnsError.invalidParameter("Email address");
            }
            return;
        }
        String host = OutboundPolicy.checkEndpoint(protocol, endpoint).getHost();
        AttributeLimits.checkHost(host);
        outbound.checkLiteralHost(host);
    }

    private void checkSettable(String name, String value, String scope, String filterPolicy, String protocol) {
        if (!SETTABLE.contains(name)) {
            throw SnsError.invalidParameter("AttributeName");
        }
        String text = value == null ? "" : value;
        AttributeLimits.check(name, text);
        switch (name) {
            case "FilterPolicy" -> SnsFilterPolicy.parse(text, SnsFilterPolicy.scope(scope));
            case "FilterPolicyScope" -> SnsFilterPolicy.parse(filterPolicy, SnsFilterPolicy.scope(text));
            case "RawMessageDelivery" -> {
                if (!Subscription.RAW_PROTOCOLS.contains(protocol)) {
                    throw SnsError.invalidParameter("Delivery protocol [" + protocol + "] does not support raw message "
                            + "delivery.");
                }
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw SnsError.invalidParameter("Attributes Reason: RawMessageDelivery: Invalid value [" + text
                            + "]. Must be true or false.");
                }
            }
            case "DeliveryPolicy" -> {
                if (!text.isEmpty()) {
                    if (!protocol.equals("http") && !protocol.equals("https")) {
                        throw SnsError.invalidParameter("DeliveryPolicy: only HTTP(S) subscriptions have a delivery policy");
                    }
                    DeliveryPolicy.parseSubscriptionPolicy(text);
                }
            }
            case "RedrivePolicy" -> deadLetterArn(Map.of("RedrivePolicy", text), null);
            default -> { }
        }
    }

    /** Delivery attempts before the dead-letter queue: the delivery queue's maxReceiveCount. */
    private int maxAttempts(Subscription subscription, Map<String, String> topicAttributes) {
        return RetrySchedule.of(subscription, topicAttributes.get("DeliveryPolicy"),
                functionDeliveries == null ? List.of() : functionDeliveries.retryDelays()).maxAttempts();
    }

    /**
     * The deadLetterTargetArn of a RedrivePolicy attribute, null without one; InvalidParameter when malformed or
     * when the queue is not in {@code account} (SNS: a subscription's dead-letter queue is in its own account), any
     * account when null (a first check of the form only).
     */
    String deadLetterArn(Map<String, String> attributes, String account) {
        String arn;
        try {
            arn = Subscription.deadLetterTargetArn(attributes.get("RedrivePolicy")).orElse(null);
        } catch (IllegalArgumentException e) {
            throw SnsError.invalidParameter("RedrivePolicy: " + e.getMessage());
        }
        if (arn != null && (account == null ? queues.urlOfArn(arn) : queues.urlOfArn(arn, account)).isEmpty()) {
            throw SnsError.invalidParameter("RedrivePolicy: deadLetterTargetArn is invalid");
        }
        return arn;
    }

    /**
     * SNS's rule for a subscription's dead-letter queue: a FIFO topic's subscriptions use a FIFO queue, a standard
     * topic's a standard one (a FIFO queue takes no copy without a message group, and a standard one keeps no order).
     */
    private static void sameKindOfQueue(String deadLetterArn, String topicName) {
        if (deadLetterArn == null) {
            return;
        }
        boolean fifoTopic = topicName.endsWith(".fifo");
        if (fifoTopic != deadLetterArn.endsWith(".fifo")) {
            throw SnsError.invalidParameter(fifoTopic
                    ? "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic."
                    : "RedrivePolicy: must use a standard queue as DLQ for a subscription to a standard topic.");
        }
    }

    public CompletableFuture<String> confirmSubscription(String topicArn, String token) {
        return Futures.of(() -> {
            TopicArn arn = TopicArn.require("TopicArn", topicArn);
            if (token == null || token.isEmpty()) {
                throw SnsError.invalidParameter("Token");
            }
            return topics.require(arn).thenCompose(topic -> catalog.subscriptionsOf(topic.name())).thenCompose(all -> {
                Subscription match = all.stream().filter(candidate -> token.equals(candidate.token())).findFirst()
                        .orElseThrow(() -> SnsError.invalidParameter("Invalid token"));
                return catalog.updateSubscription(match.topicName(), match.id(), Subscription::confirm,
                        () -> SnsError.invalidParameter("Invalid token")).thenApply(confirmed -> {
                    topologyChanged.run();
                    return arn.subscription(match.id());
                });
            });
        });
    }

    /**
     * Unsubscribe for an unsigned caller following an UnsubscribeURL while access keys are configured
     * ({@link Caller#link}): only with the {@code Token} the link carries, so that knowing a subscription's ARN
     * is not enough, and never for an sqs subscription, whose deletion SNS always authenticates. Either refusal
     * is AuthorizationError; a signed Unsubscribe ({@link #unsubscribe}) needs neither.
     */
    public CompletableFuture<Void> unsubscribeByLink(String subscriptionArn, String token) {
        return Futures.of(() -> {
            if (!envelopes.validUnsubscribeToken(subscriptionArn == null ? "" : subscriptionArn, token)) {
                throw SnsError.AUTHORIZATION_ERROR.exception("An unsigned Unsubscribe needs the Token of the "
                        + "subscription's UnsubscribeURL; sign the request to unsubscribe without it");
            }
            return find(subscriptionArn).thenCompose(subscription -> {
                if (subscription.protocol().equals("sqs")) {
                    throw SnsError.AUTHORIZATION_ERROR.exception("Amazon SQS queue subscriptions require "
                            + "authentication for deletion: sign the Unsubscribe request");
                }
                return topics.deleteSubscriptionState(subscription);
            }).thenRun(topologyChanged);
        });
    }

    public CompletableFuture<Void> unsubscribe(Caller caller, String subscriptionArn) {
        return Futures.of(() -> find(caller, subscriptionArn).thenCompose(subscription -> topics.deleteSubscriptionState(subscription))
                .thenRun(topologyChanged));
    }

    /** The subscription an ARN names, found without asking who may see it (an unsigned link's token decides). */
    private CompletableFuture<Subscription> find(String subscriptionArn) {
        TopicArn.SubscriptionArn arn = parseArn(subscriptionArn);
        return catalog.subscription(topics.key(arn.topic()), arn.subscriptionId()).thenApply(found -> found.orElseThrow(
                SubscriptionActions::subscriptionNotFound));
    }

    /**
     * The subscription an ARN names, for a caller of the topic's account, the subscription's owner or an operator.
     * Anyone else is refused with AuthorizationError whether it exists or not, as SNS answers a subscription of
     * another account.
     */
    private CompletableFuture<Subscription> find(Caller caller, String subscriptionArn) {
        TopicArn.SubscriptionArn arn = parseArn(subscriptionArn);
        String account = topics.accountOf(caller);
        if (account.equals(arn.topic().accountId()) || topics.isOperator(caller)) {
            return find(subscriptionArn);
        }
        return catalog.subscription(topics.key(arn.topic()), arn.subscriptionId()).thenApply(found -> found
                .filter(subscription -> subscription.ownerAccount(queues.accountId()).equals(account))
                .orElseThrow(() -> SnsError.AUTHORIZATION_ERROR.exception("Not authorized to access this subscription")));
    }

    private static TopicArn.SubscriptionArn parseArn(String subscriptionArn) {
        if (subscriptionArn == null || subscriptionArn.isEmpty()) {
            throw SnsError.invalidParameter("SubscriptionArn Reason: no value for required parameter");
        }
        return TopicArn.parseSubscription(subscriptionArn).orElseThrow(() -> SnsError.invalidParameter("SubscriptionArn"));
    }

    private static RuntimeException subscriptionNotFound() {
        return SnsError.NOT_FOUND.exception("Subscription does not exist");
    }

    /** The caller's own subscriptions (those its account made), on its topics or on others' it may subscribe to. */
    public CompletableFuture<Page<Summary>> listSubscriptions(Caller caller, String nextToken) {
        String account = topics.accountOf(caller);
        return Futures.of(() -> page(null, nextToken,
                subscription -> subscription.ownerAccount(queues.accountId()).equals(account)));
    }

    public CompletableFuture<Page<Summary>> listSubscriptionsByTopic(String topicArn, String nextToken) {
        return Futures.of(() -> {
            TopicArn arn = TopicArn.require("TopicArn", topicArn);
            return topics.require(arn).thenCompose(topic -> page(topic.name(), nextToken,
                    subscription -> subscription.topicName().equals(topic.name())));
        });
    }

    /**
     * A page of the subscriptions {@code shown} keeps. A page scans a page's worth of keys, so it may show fewer rows
     * (even none) and still name a next page, as SNS's pages may.
     */
    private CompletableFuture<Page<Summary>> page(String topicName, String nextToken,
            java.util.function.Predicate<Subscription> shown) {
        return catalog.subscriptionPage(topicName, Page.resumeAfter(nextToken), Page.SIZE).thenApply(page -> {
            List<Summary> rows = page.entries().stream()
                    .map(entry -> dev.sluice.notify.core.CatalogRecordCodec.decodeSubscription(entry.value()))
                    .filter(shown).map(subscription -> {
                TopicArn topic = topics.arn(subscription.topicName());
                return new Summary(subscription.confirmed() ? topic.subscription(subscription.id()) : LISTED_PENDING,
                        subscription.ownerAccount(queues.accountId()), subscription.protocol(), subscription.endpoint(),
                        topic.toString());
            }).toList();
            String token = page.more() && !page.entries().isEmpty()
                    ? Page.token(page.entries().get(page.entries().size() - 1).key()) : null;
            return new Page<>(rows, token);
        });
    }

    public CompletableFuture<Map<String, String>> getSubscriptionAttributes(Caller caller, String subscriptionArn) {
        return Futures.of(() -> find(caller, subscriptionArn).thenCompose(subscription -> catalog.topic(subscription.topicName())
                .thenApply(topic -> attributesOf(subscription, topic))));
    }

    /**
     * Every subscription of a topic with its attributes and status, pending ones included (with their real ARN,
     * which ListSubscriptionsByTopic hides): what an operator's console shows. Sorted by subscription id.
     */
    public CompletableFuture<List<Map<String, String>>> describeSubscriptions(String topicArn) {
        return Futures.of(() -> topics.require(TopicArn.require("TopicArn", topicArn)).thenCompose(topic ->
                catalog.subscriptionsOf(topic.name()).thenApply(all -> all.stream()
                        .sorted(java.util.Comparator.comparing(Subscription::id))
                        .map(subscription -> attributesOf(subscription, java.util.Optional.of(topic))).toList())));
    }

    private Map<String, String> attributesOf(Subscription subscription, java.util.Optional<Topic> topic) {
        TopicArn arn = topics.arn(subscription.topicName());
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("SubscriptionArn", arn.subscription(subscription.id()));
        attributes.put("TopicArn", arn.toString());
        attributes.put("Owner", subscription.ownerAccount(queues.accountId()));
        attributes.put("Protocol", subscription.protocol());
        attributes.put("Endpoint", subscription.endpoint());
        attributes.put("ConfirmationWasAuthenticated", String.valueOf(subscription.confirmed()));
        attributes.put("PendingConfirmation", String.valueOf(!subscription.confirmed()));
        attributes.put("RawMessageDelivery", "false");
        attributes.putAll(subscription.attributes());
        deliveryStatus(subscription, attributes);
        if (subscription.push() && !subscription.function()) {
            attributes.put("EffectiveDeliveryPolicy", DeliveryPolicy.effective(
                    subscription.attributes().get("DeliveryPolicy"),
                    topic.map(found -> found.attributes().get("DeliveryPolicy")).orElse(null),
                    subscription.protocol()).toJson());
            // Not an SNS attribute: the Standard Webhooks secret the endpoint verifies webhook-signature with.
            attributes.put("WebhookSigningSecret", subscription.webhookSecret());
        }
        return attributes;
    }

    /**
     * Not SNS attributes (AWS SDKs pass unknown ones through): {@code Status} ({@code PendingConfirmation},
     * {@code Confirmed} or {@code Failing}), and whether this node's latest deliveries to the subscription failed,
     * since when, why and when last, so a subscription to a missing queue or a refusing endpoint shows up where its
     * owner looks, not only in the operator's log. Each node knows its own attempts, and a failure counts only until
     * its retry (which any node may take) is overdue ({@link DeliveryHealth}), so on a cluster this is the answering
     * node's view; the REST topic page adds the other nodes' failures.
     */
    private void deliveryStatus(Subscription subscription, Map<String, String> attributes) {
        java.util.Optional<DeliveryHealth.Failure> failure = health.failure(subscription.id());
        attributes.put("Status", !subscription.confirmed() ? "PendingConfirmation"
                : failure.isPresent() ? "Failing" : "Confirmed");
        attributes.put("DeliveryStatus", failure.isPresent() ? "Failing" : "Healthy");
        failure.ifPresent(failing -> {
            attributes.put("LastDeliveryError", failing.reason());
            attributes.put("LastDeliveryErrorAt", failing.last().toString());
            attributes.put("FailingSince", failing.since().toString());
            attributes.put("FailedAttempts", String.valueOf(failing.attempts()));
        });
    }

    public CompletableFuture<Void> setSubscriptionAttributes(Caller caller, String subscriptionArn, String name,
            String value) {
        return Futures.of(() -> {
            if (name == null || name.isEmpty()) {
                throw SnsError.invalidParameter("AttributeName");
            }
            String text = value == null ? "" : value;
            return find(caller, subscriptionArn).thenCompose(current -> {
                UnaryOperator<Subscription> change = subscription -> {
                    checkSettable(name, text, subscription.attributes().get("FilterPolicyScope"),
                            subscription.attributes().get("FilterPolicy"), subscription.protocol());
                    if (name.equals("RedrivePolicy")) {
                        sameKindOfQueue(deadLetterArn(Map.of(name, text), subscription.ownerAccount(queues.accountId())),
                                subscription.topicName());
                    }
                    return subscription.withAttribute(name, text);
                };
                Subscription expected = change.apply(current);
                boolean redrive = expected.push() && (name.equals("RedrivePolicy") || name.equals("DeliveryPolicy"));
                // The queue first, so a policy it refuses changes nothing; again after the record if a concurrent
                // change made the stored subscription differ from what the queue was given.
                return (redrive ? setRedrive(expected) : CompletableFuture.<Void>completedFuture(null))
                        .thenCompose(done -> catalog.updateSubscription(current.topicName(), current.id(), change,
                                SubscriptionActions::subscriptionNotFound))
                        .thenCompose(stored -> redrive && !stored.equals(expected) ? setRedrive(stored)
                                : CompletableFuture.<Void>completedFuture(null));
            });
        });
    }

    private CompletableFuture<Void> setRedrive(Subscription subscription) {
        return catalog.topic(subscription.topicName()).thenCompose(topic -> queues.setRedrive(subscription,
                maxAttempts(subscription, topic.map(Topic::attributes).orElse(Map.of())),
                deadLetterArn(subscription.attributes(), null)));
    }
}
