package dev.sluice.broker;

import dev.sluice.broker.api.http.AuthenticationHandler;
import dev.sluice.broker.api.http.RestRoutes;
import dev.sluice.broker.ops.MeterConventions;
import dev.sluice.broker.api.rest.ClusterResource;
import dev.sluice.broker.api.rest.RestResource;
import dev.sluice.broker.api.rest.TopicResource;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.ops.HealthRoutes;
import dev.sluice.broker.ops.MetricsRoutes;
import dev.sluice.broker.ops.QueueMeters;
import dev.sluice.notify.api.http.NotifyRoutes;
import dev.sluice.notify.service.NotifyConfig;
import dev.sluice.notify.service.NotifyService;
import dev.sluice.broker.core.QueueBook;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.StoreGroups;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the one place that builds the server's object graph. {@link #start} brings up,
 * in order, the metrics registry, the raft-store node, Vert.x and the HTTP API; {@link #close} takes
 * them down in reverse. Thread-safe; {@link #close} is idempotent.
 */
public final class SluiceServer implements AutoCloseable {
    /** How long a single node waits at start for its Raft groups to elect it (see awaitOwnLeadership). */
    private static final Duration LEADERSHIP_WAIT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(SluiceServer.class);
    /** Bounds each start-up and shutdown step that waits on Vert.x (binding a port, closing event loops). */
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private final SluiceConfig config;
    private final PrometheusMeterRegistry meters;
    private final JvmGcMetrics gcMetrics;
    private final RaftStoreNode node;
    private final Vertx vertx;
    private final HttpServer http;
    private final QueueModule queues;
    private final BridgeModule bridge;
    private final NotifyService notify;
    private final Router router;
    private final AccountsModule accounts;
    private boolean closed;

    private SluiceServer(SluiceConfig config, PrometheusMeterRegistry meters, JvmGcMetrics gcMetrics, RaftStoreNode node,
            Vertx vertx, HttpServer http, QueueModule queues, BridgeModule bridge, NotifyService notify, Router router,
            AccountsModule accounts) {
        this.config = config;
        this.meters = meters;
        this.gcMetrics = gcMetrics;
        this.node = node;
        this.vertx = vertx;
        this.http = http;
        this.queues = queues;
        this.bridge = bridge;
        this.notify = notify;
        this.router = router;
        this.accounts = accounts;
    }

    /**
     * Starts everything and returns once the HTTP port accepts connections. The Raft groups may still be
     * electing leaders then: {@code /health} says when the node is ready. Throws IllegalArgumentException
     * listing every config problem, IOException when storage or a port cannot be used; whatever started
     * before a failure is closed again.
     *
     * @param mounts the API routes to add after the built-in ones; see {@link RouteMount}
     */
    public static SluiceServer start(SluiceConfig config, List<RouteMount> mounts, InstantSource clock) throws IOException {
        return start(config, mounts, clock, BridgeModule.defaultSettings());
    }

    /**
     * As {@link #start(SluiceConfig, List, InstantSource)}, with the function bridge's settings given (tests shorten its
     * waits). {@code realClock} is the clock of every part, unless {@code simulation.clockFile} is set: then only
     * authentication (signature times, key expiry) keeps it, and everything else reads the file.
     */
    public static SluiceServer start(SluiceConfig config, List<RouteMount> mounts, InstantSource realClock,
            dev.sluice.faasbridge.service.BridgeSettings bridgeSettings) throws IOException {
        List<String> problems = config.validate();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid config: " + String.join("; ", problems));
        }
        InstantSource clock = serviceClock(config, realClock);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MeterConventions.apply(meters);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        new JvmMemoryMetrics().bindTo(meters);
        gcMetrics.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        RaftStoreNode node = null;
        Vertx vertx = null;
        QueueMeters queueMeters = new QueueMeters(config.metrics().maxLabelledQueues(), clock);
        QueueModule queues = new QueueModule(queueMeters);
        BridgeModule bridge = new BridgeModule(() -> bridgeSettings.withMaxLabelledFunctions(config.metrics().maxLabelledQueues()));
        NotifyService notify = null;
        AccountsModule accounts = null;
        java.util.concurrent.atomic.AtomicReference<String> baseUrl = new java.util.concurrent.atomic.AtomicReference<>();
        StartSteps steps = new StartSteps();
        steps.ended("config");
        // Built on another thread while the Raft groups open (see HttpFront).
        java.util.concurrent.CompletableFuture<HttpFront> front = HttpFront.buildAsync(config, meters)
                .whenComplete((built, failed) -> steps.ended("http front"));
        try {
            steps.ended("modules");
            node = RaftStoreNode.start(config.raft(), queues.engines(), meters, clock);
            steps.ended("raft groups");
            queueMeters.register(meters, node);
            if (config.raft().peers().size() <= 1) {
                awaitOwnLeadership(node);
            }
            // Accounts and keys (issue 16 A): refuses a cluster key that does not open the stored secrets.
            // On the real clock even in a simulation: clients sign with theirs, and a key's grace is an operator's time.
            accounts = AccountsModule.start(config, node, realClock);
            steps.ended("accounts");
            HttpFront built = joinFront(front);
            vertx = built.vertx();
            Router router = built.router();
            // Before every route: with access keys configured, nothing below runs for an unsigned request.
            router.route().handler(new AuthenticationHandler(accounts.verifier(), accounts::isOperator,
                    () -> java.util.UUID.randomUUID().toString(), config.auth().metricsToken()));
            // Request-rate quotas (issue 16 D): right after authentication, before any route does work.
            router.route().handler(new dev.sluice.broker.api.http.RequestRateHandler(accounts.rateLimiter(),
                    () -> java.util.UUID.randomUUID().toString()));
            followServingNodes(vertx, node, config, accounts.rateLimiter());
            registerQuotaMeters(meters, accounts.rateLimiter());
            // Every SQS, SNS and REST request below answers within this bound, or ServiceUnavailable (503).
            dev.sluice.notify.api.http.RequestBound.install(router, vertx, config.http().requestTimeout());
            RouteMount.Context context = new RouteMount.Context(vertx, node, config, meters);
            queues.start(node, clock, baseUrl::get, meters);
            steps.ended("queues");
            // The bridge starts with the routes below; lambda subscriptions only invoke once the HTTP API is up.
            // Access policies (issue 16 C): topic and queue policies are evaluated by the IAM policy evaluator, with the
            // managed policies the accounts catalog attaches to each key (none for config keys).
            AccountsModule accountKeys = accounts;
            // SQS's per-queue limits of FIFO queues (issue 16 D), for the queues of accounts with request-rate quotas.
            dev.sluice.broker.quota.FifoRateLimiter fifoLimiter = new dev.sluice.broker.quota.FifoRateLimiter(System::nanoTime,
                    accountKeys.rateLimiter()::servingNodes);
            // And each account's queue-count quota, checked before a create, and its holdings quotas (stored bytes, in
            // flight) against the cluster's sums, read every second for the accounts that have one.
            dev.sluice.broker.service.ClusterHoldings holdings = queues.holdings(() -> accountKeys.quotas().accountsLimiting(
                    dev.sluice.broker.accounts.AccountQuotas.Quota.STORED_BYTES,
                    dev.sluice.broker.accounts.AccountQuotas.Quota.IN_FLIGHT_MESSAGES));
            dev.sluice.broker.service.HoldingsQuotas holdingsQuotas = new dev.sluice.broker.service.HoldingsQuotas(holdings::of,
                    account -> accountKeys.quotas().of(account, dev.sluice.broker.accounts.AccountQuotas.Quota.STORED_BYTES),
                    account -> accountKeys.quotas().of(account, dev.sluice.broker.accounts.AccountQuotas.Quota.IN_FLIGHT_MESSAGES));
            // Count quotas checked and claimed in the create's own catalog write, once every node knows that command.
            dev.sluice.raftstore.ClusterFeatures features = node.features();
            dev.sluice.raftstore.catalog.Catalog catalog = node.catalog();
            // And each account's queue-count quota: counted before a create, and claimed with it once every node knows how.
            java.util.function.UnaryOperator<dev.sluice.clientsdk.QueueClient> queueLimits = client ->
                    new dev.sluice.broker.service.HoldingsQuotaQueueClient(new dev.sluice.broker.service.QueueCountQueueClient(
                            new dev.sluice.broker.service.FifoThroughputQueueClient(client, fifoLimiter,
                                    accountKeys.rateLimiter()::limits, QueueModule.ACCOUNT_ID),
                            account -> accountKeys.quotas().of(account, dev.sluice.broker.accounts.AccountQuotas.Quota.QUEUES),
                            QueueModule.ACCOUNT_ID, catalog,
                            () -> features.atLeast(dev.sluice.raftstore.FeatureLevel.USAGE_AND_QUOTAS), clock::millis),
                            holdingsQuotas);
            dev.sluice.broker.auth.policy.PolicyAccessCheck policies = new dev.sluice.broker.auth.policy.PolicyAccessCheck(
                    accountKeys.directory(), new dev.sluice.broker.auth.policy.PolicyCache(10_000));
            // One read of a queue's Policy, for SQS requests and for topics sending to queues alike.
            dev.sluice.broker.auth.policy.QueuePolicies queuePolicies = queues.queuePolicies(policies);
            java.util.function.Function<dev.sluice.notify.core.Caller, dev.sluice.broker.auth.Caller> callers =
                    caller -> new dev.sluice.broker.auth.Caller(accountKeys.directory().find(caller.accessKeyId())
                            .map(dev.sluice.broker.auth.KeyDirectory.SigningKey::accountId).orElse(QueueModule.ACCOUNT_ID),
                            caller.accessKeyId(), !caller.link() && accountKeys.isOperator(caller.accessKeyId()));
            dev.sluice.notify.core.TopicAccess topicAccess = new dev.sluice.broker.auth.policy.TopicPolicyAccess(policies,
                    callers, account -> accountKeys.quotas().of(account, dev.sluice.broker.accounts.AccountQuotas.Quota.TOPICS),
                    account -> accountKeys.quotas().of(account, dev.sluice.broker.accounts.AccountQuotas.Quota.SUBSCRIPTIONS),
                    holdingsQuotas::storedBytesRefusal,
                    () -> features.atLeast(dev.sluice.raftstore.FeatureLevel.USAGE_AND_QUOTAS), queuePolicies);
            // The copies fanout puts in tenants' queues count against the queue owner's stored bytes like its sends.
            notify = new NotifyService(notifyConfig(config.notifications()), vertx, queues.client(),
                    new dev.sluice.broker.service.HoldingsQuotaQueueClient(queues.tenantClient(), holdingsQuotas),
                    node.catalog(), baseUrl::get, clock, bridge.subscriberFunctions(), topicAccess,
                    queues.edgeBilling(), queues.outboxFanout(holdingsQuotas));
            dev.sluice.broker.ops.NotifyMeters notifyMeters = dev.sluice.broker.ops.NotifyMeters.register(meters,
                    notify.deliveryHealth(), config.metrics().maxLabelledQueues());
            steps.ended("notify");
            NotifyRoutes notifyRoutes = new NotifyRoutes(notify);
            // SNS first: its routes answer SNS requests on / and pass every SQS request on unchanged.
            List<RouteMount> allMounts = new ArrayList<>(List.of(new HealthRoutes(), new MetricsRoutes(meters),
                    new dev.sluice.broker.ops.NotificationCountRoutes(notify.deliveryHealth().counts(), notifyMeters::labels),
                    (router1, context1) -> notifyRoutes.mount(router1), queues.routes(queuePolicies, queueLimits),
                    bridge.routes(queues, clock, store -> new dev.sluice.broker.service.MappingSlotStore(store, catalog,
                            account -> accountKeys.quotas().of(account,
                                    dev.sluice.broker.accounts.AccountQuotas.Quota.EVENT_SOURCE_MAPPINGS),
                            dev.sluice.faasbridge.core.AccountScope.only(QueueModule.ACCOUNT_ID)::accountOf,
                            () -> features.atLeast(dev.sluice.raftstore.FeatureLevel.USAGE_AND_QUOTAS)))));
            allMounts.addAll(mounts);
            allMounts.forEach(mount -> mount.mount(router, context));
            steps.ended("routes");
            // The REST API: every module's resources under /v1, one error format, one OpenAPI document.
            List<RestResource> restResources = new ArrayList<>(queues.restResources(queuePolicies, callers, baseUrl::get, queueLimits));
            restResources.add(new TopicResource(notify, QueueModule.REGION));
            RaftStoreNode started = node;
            // The console's cluster-wide numbers: the serving node asks the others (topic counts, function activity).
            io.vertx.ext.web.client.WebClient peers = io.vertx.ext.web.client.WebClient.create(vertx);
            dev.sluice.broker.ops.PeerSigner peerSigner = accounts.peerSigner(QueueModule.REGION);
            restResources.add(new dev.sluice.broker.api.rest.TopicCatalogResource(notify, QueueModule.REGION,
                    QueueModule.ACCOUNT_ID, new dev.sluice.broker.ops.ClusterTopicCounts(config.raft().nodeId(),
                            notify.deliveryHealth().counts(), started::clusterView, peers, peerSigner),
                    new dev.sluice.broker.ops.ClusterSubscriptionFailures(config.raft().nodeId(), started::clusterView, peers,
                            peerSigner)));
            dev.sluice.broker.api.rest.RestAccountScopes functionScopes = new dev.sluice.broker.api.rest.RestAccountScopes(
                    QueueModule.ACCOUNT_ID, notify::operator);
            restResources.add(bridge.restResource(functionScopes, account -> accountKeys.quotas().of(account,
                    dev.sluice.broker.accounts.AccountQuotas.Quota.EVENT_SOURCE_MAPPINGS)));
            restResources.add(new dev.sluice.broker.api.rest.FunctionActivityResource(
                    new dev.sluice.broker.ops.ClusterFunctionActivity(config.raft().nodeId(), bridge::activity,
                            started::clusterView, peers, peerSigner), functionScopes, bridge::mappingsOf));
            restResources.add(accounts.restResource());
            restResources.add(new dev.sluice.broker.api.rest.UsageResource(queues.usage(),
                    caller -> caller.account(QueueModule.ACCOUNT_ID), notify::operator, clock));
            dev.sluice.broker.ops.UsageMeters.register(meters, queues.usage()::read, clock, config.metrics().maxLabelledQueues());
            restResources.add(new ClusterResource(started::clusterView, group -> queueCount(started, group), started.membership()));
            new RestRoutes(restResources, caller -> accountKeys.isOperator(caller.accessKeyId())).mount(router);
            steps.ended("rest");
            // No form options: Vert.x never decodes a form here (RawBodyHandler); the Query decoders read them.
            HttpServer http = vertx.createHttpServer(new HttpServerOptions()
                            .setHost(config.http().host()).setPort(config.http().port()))
                    .requestHandler(router);
            // Not before every queue group's index is rebuilt (it was, beside the groups' start and the wiring above): a
            // request would otherwise wait for it on an event loop.
            // No bound: a deep backlog's index takes as long as its store's scan (RESULTS: seconds per million); a failed
            // rebuild completes this too and shows as its group's fatal error.
            node.rebuilt().join();
            steps.ended("indexes");
            awaitStep(http.listen(), "listening on " + config.http().host() + ":" + config.http().port());
            steps.ended("listening");
            LOG.info("start-up steps, each ended at ms after the JVM started: {}", steps);
            baseUrl.set(QueueModule.baseUrl(config, http.actualPort()));
            // Retried in the background until the catalog has a quorum: peers may still be starting.
            node.publishHttpUrl(baseUrl.get());
            notify.start();
            return new SluiceServer(config, meters, gcMetrics, node, vertx, http, queues, bridge, notify, router, accounts);
        } catch (IOException | RuntimeException e) {
            bridge.close();
            if (notify != null) {
                notify.close();
            }
            queues.close();
            if (accounts != null) {
                accounts.close();
            }
            if (vertx == null) {
                vertx = front.handle((built, failed) -> built == null ? null : built.vertx()).join();
            }
            closeQuietly(vertx, node, gcMetrics, meters);
            throw e;
        }
    }

    /**
     * The clock of everything but authentication: {@code realClock}, or for a test or simulation the time in
     * {@code simulation.clockFile} (IllegalArgumentException when that file is missing or unreadable).
     */
    private static InstantSource serviceClock(SluiceConfig config, InstantSource realClock) {
        return config.simulation().clockFile().<InstantSource>map(file -> {
            SimulationClock simulated = SimulationClock.open(file);
            LOG.warn("simulation.clockFile is set (tests and simulations only): the service clock reads {}, now {}", file,
                    simulated.instant());
            return simulated;
        }).orElse(realClock);
    }

    /** Queues in a data group per this node's replica (approximate, as the cluster view is); empty for the catalog. */
    private static OptionalLong queueCount(RaftStoreNode node, String group) {
        for (int index = 0; index < node.dataGroupCount(); index++) {
            if (StoreGroups.dataGroupName(index).equals(group) && node.localEngine(index) instanceof QueueEngine engine) {
                return OptionalLong.of(engine.read(QueueBook::queueCount));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * A single node elects itself within a second or two; notify and the bridge read the catalog as they start, and
     * a request sent before the election is refused (and logged at ERROR by Ratis's client) before its retry
     * succeeds. So a single node waits for its leadership first, at most {@link #LEADERSHIP_WAIT}; a cluster member
     * does not wait, since its peers may not be up yet.
     */
    private static void awaitOwnLeadership(RaftStoreNode node) {
        long deadline = System.nanoTime() + LEADERSHIP_WAIT.toNanos();
        while (!node.health().ready() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static NotifyConfig notifyConfig(SluiceConfig.Notify settings) {
        NotifyConfig notifyConfig = NotifyConfig.defaults(QueueModule.REGION, QueueModule.ACCOUNT_ID)
                .withAllowedNetworks(settings.webhookAllowedNetworks())
                .withFunctionRetryDelays(settings.functionRetryDelays())
                .withMaxConcurrentDeliveries(settings.maxConcurrentDeliveries())
                .withQueueDeliveryAttempts(settings.queueDeliveryAttempts())
                .withMaxWorkers(settings.maxWorkers());
        return settings.smtpServer().map(server -> {
            int colon = server.lastIndexOf(':');
            return notifyConfig.withSmtp(new NotifyConfig.Smtp(server.substring(0, colon),
                    Integer.parseInt(server.substring(colon + 1)), settings.smtpFrom(), Duration.ofSeconds(10)));
        }).orElse(notifyConfig);
    }

    private static void closeQuietly(Vertx vertx, RaftStoreNode node, JvmGcMetrics gcMetrics, PrometheusMeterRegistry meters) {
        if (vertx != null) {
            try {
                awaitStep(vertx.close(), "closing Vert.x");
            } catch (IOException | RuntimeException e) {
                LOG.warn("closing Vert.x failed", e);
            }
        }
        if (node != null) {
            try {
                node.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("closing the raft-store node failed", e);
            }
        }
        gcMetrics.close();
        meters.close();
    }

    /** The HTTP front built beside the Raft start; what its build threw is thrown here. */
    private static HttpFront joinFront(java.util.concurrent.CompletableFuture<HttpFront> front) throws IOException {
        try {
            return front.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the HTTP front", e);
        } catch (TimeoutException e) {
            throw new IOException("building the HTTP front took longer than " + STEP_TIMEOUT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IOException("building the HTTP front failed", e.getCause());
        }
    }

    /** Waits for a Vert.x step from a non-Vert.x thread; a failure or timeout becomes an IOException naming the step. */
    private static <T> T awaitStep(io.vertx.core.Future<T> step, String what) throws IOException {
        return awaitStep(step, what, STEP_TIMEOUT);
    }

    private static <T> T awaitStep(io.vertx.core.Future<T> step, String what, Duration timeout) throws IOException {
        try {
            return step.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(what + " did not finish within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted", e);
        }
    }

    /** The port the HTTP API listens on: the configured one, or the one picked for port 0. */
    public int httpPort() {
        return http.actualPort();
    }

    public SluiceConfig config() {
        return config;
    }

    public RaftStoreNode node() {
        return node;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /**
     * Stops accepting connections, lets in-flight requests finish for up to {@code http.shutdownGrace},
     * then closes Vert.x, the store node and the meters, in that order.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Duration grace = config.http().shutdownGrace();
        try {
            awaitStep(http.shutdown(grace), "stopping HTTP", grace.plus(STEP_TIMEOUT));
        } catch (IOException e) {
            LOG.warn("stopping HTTP failed; closing anyway", e);
        }
        bridge.close();
        notify.close();
        queues.close();
        accounts.close();
        closeQuietly(vertx, node, gcMetrics, meters);
    }

    /** This node's function bridge (its pollers and management API). */
    public dev.sluice.faasbridge.service.FunctionBridge bridge() {
        return bridge.bridge();
    }

    /** How often each node re-reads the cluster view to re-split the accounts' request rates over the serving nodes. */
    private static final long SERVING_NODES_REFRESH_MILLIS = 2_000;

    /** Keeps the limiter's node count at the serving nodes of this node's cluster view (a single node: always 1). */
    private static void followServingNodes(Vertx vertx, RaftStoreNode node,
            SluiceConfig config, dev.sluice.broker.quota.RequestRateLimiter limiter) {
        if (config.raft().peers().size() <= 1) {
            return;
        }
        vertx.setPeriodic(0, SERVING_NODES_REFRESH_MILLIS, id -> node.clusterView()
                .thenAccept(limiter::clusterView)
                // A view that cannot be built now (no catalog quorum) leaves the last split in place.
                .exceptionally(failure -> null));
    }

    /** {@code sluice_quota_throttled_total{family}}: calls this node refused for an account's request-rate quota. */
    private static void registerQuotaMeters(PrometheusMeterRegistry meters, dev.sluice.broker.quota.RequestRateLimiter limiter) {
        for (dev.sluice.broker.quota.ApiFamily family : dev.sluice.broker.quota.ApiFamily.values()) {
            io.micrometer.core.instrument.FunctionCounter.builder("sluice.quota.throttled", limiter,
                            counted -> counted.refusals(family))
                    .description("Requests refused because their account was over its request-rate quota on this node")
                    .tag("family", family.name().toLowerCase(java.util.Locale.ROOT)).register(meters);
        }
    }

    /**
     * Every mounted route as {@code "METHOD /path"} (Vert.x path syntax, {@code :name} for parameters;
     * {@code "*"} for any method), for diagnostics and the test that holds the OpenAPI document to the routes.
     */
    public List<String> routes() {
        List<String> routes = new ArrayList<>();
        for (io.vertx.ext.web.Route route : router.getRoutes()) {
            if (route.getPath() == null) {
                continue;
            }
            if (route.methods() == null || route.methods().isEmpty()) {
                routes.add("* " + route.getPath());
            } else {
                route.methods().forEach(method -> routes.add(method.name() + " " + route.getPath()));
            }
        }
        return routes;
    }

    /** The in-process queue client (behind no HTTP hop): what notify and faas-bridge use inside the server. */
    public dev.sluice.clientsdk.QueueClient queueClient() {
        return queues.client();
    }
}
