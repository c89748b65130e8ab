package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.model.GetQueueAttributesRequest;
import dev.sluice.clientsdk.model.ListQueuesRequest;
import java.util.List;
import java.util.Map;
import dev.sluice.raftstore.catalog.Catalog;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification service of one node: the SNS actions, the signing keys, and the fanout and delivery
 * workers. Built by the server's composition root with the in-process QueueClient, the replicated
 * catalog and the functions that lambda subscriptions invoke; {@link #start} loads (or creates) the
 * signing keys and starts the workers. Thread-safe.
 */
public final class NotifyService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyService.class);
    /** A subscription that keeps failing is named in the log once when it starts, then at most this often. */
    private static final java.time.Duration FAILURE_LOG_INTERVAL = java.time.Duration.ofMinutes(5);
    /** Where every node serves the signing certificate (the envelopes' SigningCertURL). */
    public static final String CERTIFICATE_PATH = "/sns/SimpleNotificationService-sluice.pem";

    private final TopicActions topics;
    private final SubscriptionActions subscriptions;
    private final PublishActions publishing;
    private final TopicAuthorizer authorizer;
    private final String defaultAccount;
    private final NotifyWorkers workers;
    private final NotifyCatalog catalog;
    private final ScheduledExecutorService timers;
    private final WebhookClient webhooks;
    private final QueueClient queueClient;
    private final InstantSource clock;
    private final SecureRandom random;
    private final DeliveryHealth health;
    /** Completes once start-up loaded (or created) the signing keys; nothing signs before that. */
    private final CompletableFuture<SigningKeys> keys = new CompletableFuture<>();

    /**
     * @param queueClient reaches every queue, notify's internal ones (outboxes, delivery queues) included
     * @param subscriberQueues the tenants' view of the queues, for the queues tenants name (sqs subscription
     *     endpoints, dead-letter queues): an internal queue named there does not exist
     * @param functions invokes the functions of lambda / function subscriptions; null when no function
     *     bridge runs, and then such subscriptions are refused
     * @param topicAccess the policy evaluator: checks topic Policy attributes when set and decides topic-scoped actions
     */
    public NotifyService(NotifyConfig config, Vertx vertx, QueueClient queueClient, QueueClient subscriberQueues,
            Catalog catalog, Supplier<String> baseUrl, InstantSource clock, SubscriberFunctions functions,
            dev.sluice.notify.core.TopicAccess topicAccess) {
        this(config, vertx, queueClient, subscriberQueues, catalog, baseUrl, clock, functions, topicAccess, DeliveryUsage.NONE);
    }

    /** As above, with every delivered copy reported to {@code usage} (billed to the topic's owner). */
    public NotifyService(NotifyConfig config, Vertx vertx, QueueClient queueClient, QueueClient subscriberQueues,
            Catalog catalog, Supplier<String> baseUrl, InstantSource clock, SubscriberFunctions functions,
            dev.sluice.notify.core.TopicAccess topicAccess, DeliveryUsage usage) {
        this(config, vertx, queueClient, subscriberQueues, catalog, baseUrl, clock, functions, topicAccess, usage,
                OutboxFanout.NONE);
    }

    /** As above, with a topic's fanout moving each batch in one log entry through {@code fanout} once it can. */
    public NotifyService(NotifyConfig config, Vertx vertx, QueueClient queueClient, QueueClient subscriberQueues,
            Catalog catalog, Supplier<String> baseUrl, InstantSource clock, SubscriberFunctions functions,
            dev.sluice.notify.core.TopicAccess topicAccess, DeliveryUsage usage, OutboxFanout fanout) {
        if (!config.validate().isEmpty()) {
            throw new IllegalArgumentException("invalid notify config: " + String.join("; ", config.validate()));
        }
        this.catalog = new NotifyCatalog(catalog);
        this.defaultAccount = config.accountId();
        this.queueClient = queueClient;
        this.clock = clock;
        this.random = new SecureRandom();
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-notify-timers");
            thread.setDaemon(true);
            return thread;
        });
        Supplier<UUID> ids = UUID::randomUUID;
        InternalQueues internalQueues = new InternalQueues(queueClient, config.accountId(), config.region(), baseUrl);
        // Only called once the keys are there: workers start after loading, Subscribe waits for it.
        Envelopes envelopes = new Envelopes(keys::join, baseUrl);
        OutboundPolicy outbound = new OutboundPolicy(config.allowedNetworks());
        this.webhooks = new WebhookClient(vertx, outbound, config);
        Timestamps timestamps = new Timestamps(clock);
        int visibility = (int) (DeliveryWorker.PERMIT_WAIT.plus(config.connectTimeout()).plus(config.responseTimeout())
                .toSeconds() + 5);
        FunctionDeliveries functionDeliveries = FunctionDeliveries.of(functions, config.functionRetryDelays());
        this.health = new DeliveryHealth(clock, FAILURE_LOG_INTERVAL);
        SubscriberQueues queuePolicies = new SubscriberQueues(subscriberQueues, topicAccess);
        NotifyServices services = new NotifyServices(config, queueClient, subscriberQueues, this.catalog, internalQueues,
                new FilterPolicies(), envelopes, new Copies(envelopes, config.region(), config.accountId()), webhooks,
                config.smtp() == null ? null : new Mailer(vertx, config.smtp(), clock), functionDeliveries,
                new Semaphore(config.maxConcurrentDeliveries()), timers, clock, visibility, health, queuePolicies, usage,
                fanout);
        this.workers = new NotifyWorkers(services);
        this.topics = new TopicActions(this.catalog, internalQueues, ids, workers::refreshSoon, topicAccess);
        this.subscriptions = new SubscriptionActions(queuePolicies, this.catalog, internalQueues, queueClient, topics, envelopes,
                outbound, ids, random, timestamps, visibility, config.smtp() != null, keys, workers::refreshSoon,
                functionDeliveries, health);
        this.authorizer = new TopicAuthorizer(this.catalog, topicAccess, config.region(), config.accountId(),
                config.refreshInterval());
        this.publishing = new PublishActions(this.catalog, internalQueues, queueClient, ids, timestamps,
                config.refreshInterval(), health.counts(), topicAccess::publishRefusal);
    }

    /** Loads or creates the signing keys (retrying while the catalog has no leader yet), then starts the workers. */
    public void start() {
        loadKeys();
    }

    private void loadKeys() {
        SigningKeys.loadOrCreate(catalog, clock, random).whenComplete((loaded, failure) -> {
            if (failure != null) {
                LOG.debug("signing keys not readable yet; retrying", failure);
                timers.schedule(this::loadKeys, 500, TimeUnit.MILLISECONDS);
                return;
            }
            keys.complete(loaded);
            workers.start();
        });
    }

    /** The signing certificate in PEM, once the keys are loaded. */
    public CompletableFuture<String> certificatePem() {
        return keys.thenApply(SigningKeys::certificatePem);
    }

    /**
     * For operators: every internal queue (outboxes, delivery queues) with its approximate depth — visible,
     * in flight and delayed messages — by queue name. The SQS API hides these queues from tenants.
     */
    public CompletableFuture<Map<String, Map<String, String>>> internalQueueDepths() {
        List<String> depth = List.of("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed");
        return queueClient.listQueues(new ListQueuesRequest(ReservedQueueNames.PREFIX, null, 1000)).thenCompose(list -> {
            Map<String, Map<String, String>> depths = new java.util.concurrent.ConcurrentSkipListMap<>();
            return CompletableFuture.allOf(list.queueUrls().stream().map(url -> queueClient.getQueueAttributes(
                            new GetQueueAttributesRequest(url, depth))
                    .thenAccept(attributes -> depths.put(url.substring(url.lastIndexOf('/') + 1), attributes.attributes()))
                    .exceptionally(gone -> null)).toArray(CompletableFuture[]::new))
                    .thenApply(done -> depths);
        });
    }

    /** Which subscriptions this node fails to deliver to right now (for the operator's metrics). */
    public DeliveryHealth deliveryHealth() {
        return health;
    }

    public TopicActions topics() {
        return topics;
    }

    public SubscriptionActions subscriptions() {
        return subscriptions;
    }

    public PublishActions publishing() {
        return publishing;
    }

    /** The topic policy check of the topic-scoped actions (the API layers call it before the action). */
    /** The account of a caller's topics: its key's, or the default one ({@link NotifyConfig#accountId}). */
    public String accountOf(dev.sluice.notify.core.Caller caller) {
        return caller.account(defaultAccount);
    }

    /** Whether the caller is an operator, who reaches every account's topics. */
    public boolean operator(dev.sluice.notify.core.Caller caller) {
        return topics.isOperator(caller);
    }

    public TopicAuthorizer authorizer() {
        return authorizer;
    }

    @Override
    public void close() {
        workers.close();
        timers.shutdown();
        try {
            timers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        webhooks.close();
    }
}
