package dev.sluice.broker;

import dev.sluice.broker.api.http.SqsRoutes;
import dev.sluice.broker.api.rest.MessageResource;
import dev.sluice.broker.api.rest.QueueResource;
import dev.sluice.broker.api.rest.QueueSettingsResource;
import dev.sluice.broker.api.rest.RedriveResource;
import dev.sluice.broker.api.rest.RestResource;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.ops.QueueMeters;
import dev.sluice.broker.auth.AccessCheck;
import dev.sluice.broker.auth.policy.QueuePolicies;
import dev.sluice.broker.service.AccountQueueClient;
import dev.sluice.broker.service.ClusterQueueStats;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.service.CrossGroupCommands;
import dev.sluice.broker.service.EngineQueueClient;
import dev.sluice.broker.service.GroupLoads;
import dev.sluice.broker.api.rest.QueueLayoutResource;
import dev.sluice.broker.service.MigrationWorker;
import dev.sluice.broker.service.MoveTaskWorker;
import dev.sluice.broker.service.PlacedQueueGroups;
import dev.sluice.broker.service.TransferWorker;
import dev.sluice.broker.service.QueueLayoutChanges;
import dev.sluice.broker.service.QueueMigrations;
import dev.sluice.broker.service.QueuePlacement;
import dev.sluice.broker.service.RoutedQueueClient;
import dev.sluice.broker.service.ReceiveWaiters;
import dev.sluice.broker.service.SqsLimits;
import dev.sluice.broker.service.SqsValidator;
import dev.sluice.broker.service.ValidatingQueueClient;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.QueueUrl;
import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.broker.statemachine.QueueEngine;
import dev.sluice.raftstore.RaftStoreNode;
import dev.sluice.raftstore.spi.EngineFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Wires the queue engine: the engine factory the store node needs before it starts, then the
 * in-process QueueClient, the SQS routes and the move-task worker once it runs.
 *
 * <p>Placement: each queue lives in one data group, recorded in the catalog ({@link QueuePlacement}); a new queue
 * goes to the least-loaded group ({@link GroupLoads}), or to its dead-letter queue's group. Every node runs a
 * move-task worker and a transfer worker (messages bound for another group's queue) per group, active while it
 * leads that group.
 */
final class QueueModule implements AutoCloseable {
    /** SQS identity of this installation, used in queue URLs and ARNs. */
    static final String ACCOUNT_ID = "000000000000";
    static final String REGION = "us-east-1";
    /** Long polls waiting at once on this node; beyond this a receive answers at once. */
    static final int MAX_WAITING_RECEIVES = 10_000;

    private final SqsLimits limits = SqsLimits.defaults();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sluice-queue-timers");
        thread.setDaemon(true);
        return thread;
    });
    private final ReceiveWaiters waiters = new ReceiveWaiters(MAX_WAITING_RECEIVES, timers, timers);
    private final QueueAttributeCodec codec = new QueueAttributeCodec(limits.queueAttributeBounds());
    /** Move-task and storage-accrual workers (one each per data group) and the migration worker. */
    private final List<AutoCloseable> workers = new java.util.ArrayList<>();
    private QueueLayoutResource layoutResource;
    private QueueClient client;
    private QueueClient tenantClient;
    private dev.sluice.broker.service.EdgeBilling edgeBilling;
    /** Whether every node applies a topic's fan-out command (feature level 4); null before start. */
    private dev.sluice.broker.service.FeatureLatch fanoutInOneApply;
    /** Whether this node leads a data group (by index); null before start. */
    private java.util.function.IntPredicate leadsGroup;
    private java.util.function.Function<List<String>, java.util.concurrent.CompletableFuture<ClusterQueueStats.Answer>> statsOf;
    private final QueueMeters queueMeters;
    private dev.sluice.broker.service.ClusterUsage usage;
    /** Usage no log entry carries (empty receives), counted here and flushed to data group 0; null before start. */
    private dev.sluice.broker.service.EdgeUsage edgeUsage;

    /** Usage counted at this node's edge and flushed to data group 0 (see {@link dev.sluice.broker.service.EdgeUsage}); after {@link #start}. */
    /** What the edge bills for notify and the function bridge (see {@link dev.sluice.broker.service.EdgeBilling}); after {@link #start}. */
    dev.sluice.broker.service.EdgeBilling edgeBilling() {
        return edgeBilling;
    }

    /**
     * notify's fanout in one log entry over this module's engine, once every node applies it (feature level 4), with
     * {@code quotas} held for the copies; after {@link #start}.
     */
    dev.sluice.broker.service.OneApplyFanout outboxFanout(dev.sluice.broker.service.HoldingsQuotas quotas) {
        return new dev.sluice.broker.service.OneApplyFanout(engine, fanoutInOneApply, quotas, leadsGroup);
    }

    public dev.sluice.broker.service.EdgeUsage edgeUsage() {
        return edgeUsage;
    }

    /** @param queueMeters the per-queue meters: engines report their traffic there, the edges their empty receives */
    QueueModule(QueueMeters queueMeters) {
        this.queueMeters = queueMeters;
    }

    EngineFactory engines() {
        return group -> new QueueEngine(codec, REGION, ACCOUNT_ID, limits.engineLimits(), waiters, queueMeters.activity(group));
    }

    private RoutedQueueClient engine;
    /** Each data group's client; set by {@link #start}. */
    private List<EngineQueueClient> groups = List.of();

    /**
     * Queues in a data group as this node's replica counts them, for placing new queues. A group this node holds no
     * replica of counts one more than the busiest it does hold: seen as empty, it would be every new queue's pick
     * here; the nodes that hold it place queues there by its real count.
     */
    private static long queueCountHere(RaftStoreNode node, int group) {
        if (node.servingEngine(group) instanceof QueueEngine engine) {
            return engine.read(book -> (long) book.queueCount());
        }
        long busiest = 0;
        for (int other = 0; other < node.dataGroupCount(); other++) {
            if (node.servingEngine(other) instanceof QueueEngine held) {
                busiest = Math.max(busiest, held.read(book -> (long) book.queueCount()));
            }
        }
        return busiest + 1;
    }

    /**
     * Builds the in-process clients, the REST resources and the move-task worker over the running node.
     * Call once, after the node started and before {@link #routes}: notify and faas-bridge need the
     * client before routes mount.
     */
    void start(RaftStoreNode node, InstantSource clock, Supplier<String> baseUrl, MeterRegistry meters) {
        int groupCount = node.dataGroupCount();
        List<EngineQueueClient> groups = new java.util.ArrayList<>();
        for (int group = 0; group < groupCount; group++) {
            int index = group;
            // Looked up on each use: the node gains and loses replicas as the cluster layout changes.
            Supplier<QueueEngine> replica = () -> (QueueEngine) node.servingEngine(index);
            groups.add(new EngineQueueClient(node.dataGroup(group), replica, waiters, timers, limits, ACCOUNT_ID, baseUrl, clock));
            workers.add(new MoveTaskWorker(node.dataGroup(group), replica, () -> node.isLeader(index), timers));
            workers.add(new dev.sluice.broker.service.StorageAccrualWorker(node.dataGroup(group), replica,
                    () -> node.isLeader(index), clock,
                    () -> node.features().atLeast(dev.sluice.raftstore.FeatureLevel.USAGE_AND_QUOTAS), timers));
        }
        this.groups = List.copyOf(groups);
        EngineQueueClient usageGroup = groups.get(0);
        edgeUsage = new dev.sluice.broker.service.EdgeUsage(node.config().nodeId(), clock, usageGroup::recordUsage,
                () -> node.features().atLeast(dev.sluice.raftstore.FeatureLevel.USAGE_AND_QUOTAS));
        edgeBilling = new dev.sluice.broker.service.EdgeBilling(edgeUsage, new dev.sluice.broker.service.FeatureLatch(
                () -> node.features().atLeast(dev.sluice.raftstore.FeatureLevel.USAGE_IN_LOG)));
        leadsGroup = node::isLeader;
        fanoutInOneApply = new dev.sluice.broker.service.FeatureLatch(
                () -> node.features().atLeast(dev.sluice.raftstore.FeatureLevel.FANOUT_IN_ONE_APPLY));
        timers.scheduleWithFixedDelay(() -> edgeUsage.flush(), dev.sluice.broker.service.EdgeUsage.FLUSH_MILLIS,
                dev.sluice.broker.service.EdgeUsage.FLUSH_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        GroupLoads loads = new GroupLoads(groupCount, group -> queueCountHere(node, group), node::appliedIndex);
        timers.scheduleWithFixedDelay(loads::sample, GroupLoads.SAMPLE_MILLIS, GroupLoads.SAMPLE_MILLIS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        QueuePlacement placement = new QueuePlacement(node.catalog(), ACCOUNT_ID, groupCount, loads,
                () -> node.holdsCatalogReplica() ? node.config().nodeId() : null);
        engine = new RoutedQueueClient(groups, placement, codec, REGION, ACCOUNT_ID, waiters, timers);
        // Each group's outbox of messages bound for queues in other groups, delivered by its leader.
        PlacedQueueGroups queueGroups = new PlacedQueueGroups(placement, groups);
        for (int group = 0; group < groupCount; group++) {
            int index = group;
            Supplier<QueueEngine> replica = () -> (QueueEngine) node.servingEngine(index);
            workers.add(new TransferWorker(group, replica, () -> node.isLeader(index), queueGroups, groups::get, ACCOUNT_ID, clock::millis,
                    timers));
            // Transfers that cannot be delivered (placement not answering, a destination group down) show here.
            io.micrometer.core.instrument.Gauge.builder("sluice.queue.transfers.pending", replica,
                            engine -> engine.get() == null ? Double.NaN : engine.get().read(book -> book.transfers().size()))
                    .description("Messages in this group's outbox, bound for queues in other groups (this node's replica)")
                    .tag("group", dev.sluice.raftstore.StoreGroups.dataGroupName(group)).register(meters);
        }
        QueueLayoutChanges layouts = new QueueLayoutChanges(groups,
                new CrossGroupCommands(queueGroups, groups::get, codec, REGION, ACCOUNT_ID), placement, ACCOUNT_ID, baseUrl);
        QueueMigrations migrations = new QueueMigrations(node.catalog(), layouts, ACCOUNT_ID, clock::millis);
        workers.add(new MigrationWorker(migrations, placement, groups, node::isLeader, ACCOUNT_ID, REGION, baseUrl,
                clock::millis, timers));
        layoutResource = new QueueLayoutResource(layouts, migrations, groupCount);
        client = new ValidatingQueueClient(queueMeters.countingEmptyReceives(engine, edgeUsage::emptyReceive), SqsValidator.forInternalCallers(limits, codec));
        // REST is a tenants' edge like SQS: the tenants' validator, to which internal queues do not exist.
        tenantClient = new ValidatingQueueClient(queueMeters.countingEmptyReceives(tenantEngine(), edgeUsage::emptyReceive), new SqsValidator(limits, codec));
        statsOf = new ClusterQueueStats(groups, engine::placementOf)::of;
        usage = new dev.sluice.broker.service.ClusterUsage(groups);
        io.micrometer.core.instrument.Gauge.builder("sluice.sqs.receive.waiters", waiters, ReceiveWaiters::waitingCount)
                .description("Long polls waiting on this node").register(meters);
    }

    /**
     * Mounts the SQS API (the tenants' edge: reserved internal queue names are refused there): each request reaches
     * the queues through {@link AccountQueueClient}, where one access check ({@code queuePolicies}': IAM's evaluation
     * with the key's policies) decides every action with the queue's Policy as this node's replica holds it and the
     * request's source address and transport. {@code edgeLimits} wraps the tenants' queues before the access check
     * (the FIFO queues' per-queue limits).
     */
    RouteMount routes(QueuePolicies queuePolicies, java.util.function.UnaryOperator<QueueClient> edgeLimits) {
        return (Router router, RouteMount.Context context) -> new SqsRoutes(callersClients(queuePolicies, edgeLimits)::apply,
                limits).mount(router);
    }

    /**
     * The queues' Policies as this node holds them, judged by {@code access}: the one read of them for the SQS edge
     * and for SNS deciding whether a topic may send to a queue.
     */
    QueuePolicies queuePolicies(AccessCheck access) {
        return new QueuePolicies(tenantEngine()::policyOf, access, ACCOUNT_ID);
    }

    /** Each caller's view of the tenants' queues (internal ones do not exist there), every action decided by {@code queuePolicies}. */
    private java.util.function.BiFunction<dev.sluice.broker.auth.Caller, dev.sluice.broker.auth.policy.RequestContext,
            AccountQueueClient> callersClients(QueuePolicies queuePolicies,
                    java.util.function.UnaryOperator<QueueClient> edgeLimits) {
        RoutedQueueClient tenants = tenantEngine();
        return AccountQueueClient.perCaller(edgeLimits.apply(queueMeters.countingEmptyReceives(tenants, edgeUsage::emptyReceive)),
                queuePolicies.access(), queuePolicies::of, REGION, ACCOUNT_ID);
    }

    /**
     * What the queues of the accounts {@code limitedAccounts} names hold over the cluster, re-read every
     * {@link dev.sluice.broker.service.ClusterHoldings#REFRESH_MILLIS} on this node's timer. Call after {@link #start}.
     */
    dev.sluice.broker.service.ClusterHoldings holdings(Supplier<List<String>> limitedAccounts) {
        dev.sluice.broker.service.ClusterHoldings holdings = new dev.sluice.broker.service.ClusterHoldings(groups,
                limitedAccounts);
        timers.scheduleWithFixedDelay(holdings::refresh, dev.sluice.broker.service.ClusterHoldings.REFRESH_MILLIS,
                dev.sluice.broker.service.ClusterHoldings.REFRESH_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        return holdings;
    }

    /** Every account's metered usage summed over the data groups; null before {@link #start}. */
    dev.sluice.broker.service.ClusterUsage usage() {
        return usage;
    }

    /** The in-process QueueClient for notify and faas-bridge (internal queue names allowed); null before {@link #start}. */
    QueueClient client() {
        return client;
    }

    /** The engine as tenants list it: internal queues are in no list, page or NextToken. */
    private RoutedQueueClient tenantEngine() {
        return engine.listing(name -> !ReservedQueueNames.isReserved(name));
    }

    /**
     * The in-process QueueClient as tenants see the queues (internal queues do not exist through it): for the
     * queues a tenant names to notify (sqs subscriptions, dead-letter queues) and for the function bridge, whose
     * mappings only ever read tenants' queues; null before {@link #start}.
     */
    QueueClient tenantClient() {
        return tenantClient;
    }

    /**
     * The REST resources of queues and messages, a tenants' edge like SQS: each request reaches its caller's account's
     * queues ({@code callers}) through the same checked client as the SQS API, decided by {@code access}, with the
     * same {@code edgeLimits}. Call after {@link #start}.
     */
    List<RestResource> restResources(QueuePolicies queuePolicies,
            java.util.function.Function<dev.sluice.notify.core.Caller, dev.sluice.broker.auth.Caller> callers,
            Supplier<String> baseUrl, java.util.function.UnaryOperator<QueueClient> edgeLimits) {
        SqsValidator validator = new SqsValidator(limits, codec);
        var checked = callersClients(queuePolicies, edgeLimits);
        AccountRestQueues queues = new AccountRestQueues(checked, client -> new ValidatingQueueClient(client, validator),
                engine::peek, callers, baseUrl, REGION, ACCOUNT_ID);
        return List.of(layoutResource, new QueueResource(queues, key -> engine.placementOf(key).thenApply(where ->
                        where.groups().stream().map(dev.sluice.raftstore.StoreGroups::dataGroupName).toList()), statsOf),
                new MessageResource(queues), new QueueSettingsResource(queues), new RedriveResource(queues));
    }

    static String baseUrl(SluiceConfig config, int actualPort) {
        return config.http().publicUrl().map(uri -> uri.toString().replaceAll("/+$", "")).orElseGet(() -> {
            String host = config.http().host();
            if (host.equals("0.0.0.0") || host.equals("::")) {
                host = "localhost";
            }
            return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + actualPort;
        });
    }

    @Override
    public void close() {
        if (edgeUsage != null) {
            try {
                // Best effort: what a node stopping in order counted since its last flush.
                edgeUsage.flush().get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notFlushed) {
                // The counts since the last flush are lost: the loss bound README states.
            }
        }
        for (AutoCloseable worker : workers) {
            try {
                worker.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing a queue worker failed", e);
            }
        }
        timers.shutdownNow();
    }
}
