package dev.sluice.broker;

import dev.sluice.broker.api.http.SqsRoutes;
import dev.sluice.broker.api.rest.MessageResource;
import dev.sluice.broker.api.rest.QueueResource;
import dev.sluice.broker.api.rest.RestResource;
import dev.sluice.broker.config.SluiceConfig;
import dev.sluice.broker.core.QueueAttributeCodec;
import dev.sluice.broker.service.EngineQueueClient;
import dev.sluice.broker.service.MoveTaskWorker;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Wires the queue engine: the engine factory the store node needs before it starts, then the
 * in-process QueueClient, the SQS routes and the move-task worker once it runs.
 *
 * <p>Placement: every queue lives in data group 0 for now, so a redrive or a move between queues is
 * one atomic apply. Spreading queues over groups needs cross-group moves first.
 */
final class QueueModule implements AutoCloseable {
    /** SQS identity of this installation, used in queue URLs and ARNs. */
    static final String ACCOUNT_ID = "000000000000";
    static final String REGION = "us-east-1";
    /** Long polls waiting at once on this node; beyond this a receive answers at once. */
    static final int MAX_WAITING_RECEIVES = 10_000;
    static final int QUEUE_GROUP = 0;

    private final SqsLimits limits = SqsLimits.defaults();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sluice-queue-timers");
        thread.setDaemon(true);
        return thread;
    });
    private final ReceiveWaiters waiters = new ReceiveWaiters(MAX_WAITING_RECEIVES, timers, timers);
    private final QueueAttributeCodec codec = new QueueAttributeCodec(limits.queueAttributeBounds());
    private MoveTaskWorker moveTasks;
    private QueueClient client;
    private QueueClient tenantClient;
    private List<RestResource> restResources = List.of();

    EngineFactory engines() {
        return group -> new QueueEngine(codec, REGION, ACCOUNT_ID, limits.engineLimits(), waiters);
    }

    private EngineQueueClient engine;

    /**
     * Builds the in-process clients, the REST resources and the move-task worker over the running node.
     * Call once, after the node started and before {@link #routes}: notify and faas-bridge need the
     * client before routes mount.
     */
    void start(RaftStoreNode node, InstantSource clock, Supplier<String> baseUrl, MeterRegistry meters) {
        QueueEngine replica = (QueueEngine) node.localEngine(QUEUE_GROUP);
        engine = new EngineQueueClient(node.dataGroup(QUEUE_GROUP), replica, waiters, limits, ACCOUNT_ID, baseUrl, clock);
        client = new ValidatingQueueClient(engine, SqsValidator.forInternalCallers(limits, codec));
        moveTasks = new MoveTaskWorker(node.dataGroup(QUEUE_GROUP), replica, () -> node.isLeader(QUEUE_GROUP), timers);
        // REST is a tenants' edge like SQS: the tenants' validator, to which internal queues do not exist.
        tenantClient = new ValidatingQueueClient(tenantEngine(), new SqsValidator(limits, codec));
        // A REST name is one path segment; encoding it keeps '?', '#' or '/' from naming another queue.
        java.util.function.Function<String, String> urlOfName = name -> new QueueUrl(ACCOUNT_ID,
                URLEncoder.encode(name, StandardCharsets.UTF_8)).toUrl(baseUrl.get());
        restResources = List.of(new QueueResource(tenantClient, urlOfName), new MessageResource(tenantClient, urlOfName));
        io.micrometer.core.instrument.Gauge.builder("sluice.sqs.receive.waiters", waiters, ReceiveWaiters::waitingCount)
                .description("Long polls waiting on this node").register(meters);
    }

    /** Mounts the SQS API (the tenants' edge: reserved internal queue names are refused there). */
    RouteMount routes() {
        return (Router router, RouteMount.Context context) -> new SqsRoutes(tenantEngine(), limits).mount(router);
    }

    /** The in-process QueueClient for notify and faas-bridge (internal queue names allowed); null before {@link #start}. */
    QueueClient client() {
        return client;
    }

    /** The engine as tenants list it: internal queues are in no list, page or NextToken. */
    private EngineQueueClient tenantEngine() {
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

    /** The REST resources of queues and messages, a tenants' edge; empty before {@link #start}. */
    List<RestResource> restResources() {
        return restResources;
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
        if (moveTasks != null) {
            moveTasks.close();
        }
        timers.shutdownNow();
    }
}
