package dev.sluice.faasbridge.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.clientsdk.QueueClient;
import dev.sluice.faasbridge.core.AccountScope;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.function.FunctionHandler;
import dev.sluice.faasbridge.store.DefinitionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function-trigger bridge: its management API and the pollers of every enabled mapping. The same
 * class runs inside the server (in-process QueueClient, catalog store) and standalone (HTTP QueueClient).
 * Several bridges may serve one mapping: they share the queue's messages, so each message is invoked at
 * least once overall, and again only when an invocation failed or a delete was lost.
 * Thread-safe; {@link #close} is idempotent.
 */
public final class FunctionBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FunctionBridge.class);

    private final BridgeApi api;
    private final MappingSupervisor supervisor;
    private final AsyncInvocations invocations;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService handlerPool;
    private final WebClient web;
    private final BridgeSettings settings;
    private boolean closed;

    private FunctionBridge(BridgeApi api, MappingSupervisor supervisor, AsyncInvocations invocations,
            ScheduledExecutorService scheduler, ExecutorService handlerPool, WebClient web, BridgeSettings settings) {
        this.api = api;
        this.supervisor = supervisor;
        this.invocations = invocations;
        this.scheduler = scheduler;
        this.handlerPool = handlerPool;
        this.web = web;
        this.settings = settings;
    }

    /**
     * Starts the bridge; the pollers of existing mappings start with the first store read. In-process
     * handlers are the {@link FunctionHandler}s that {@link ServiceLoader} finds on the class path.
     */
    public static FunctionBridge start(QueueClient queues, DefinitionStore store, Vertx vertx, MeterRegistry meters,
            BridgeSettings settings, InstantSource clock) {
        return start(queues, store, vertx, meters, settings, clock, InvocationUsage.NONE);
    }

    /** As above, with every invocation that ran reported to {@code usage} (billed to the function's owner). */
    public static FunctionBridge start(QueueClient queues, DefinitionStore store, Vertx vertx, MeterRegistry meters,
            BridgeSettings settings, InstantSource clock, InvocationUsage usage) {
        if (!settings.validate().isEmpty()) {
            throw new IllegalArgumentException("invalid bridge settings: " + String.join("; ", settings.validate()));
        }
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, daemonThreads("sluice-bridge"));
        scheduler.setRemoveOnCancelPolicy(true);
        ExecutorService handlerPool = Executors.newFixedThreadPool(settings.handlerThreads(), daemonThreads("sluice-bridge-handler"));
        ObjectMapper json = new ObjectMapper();
        WebClient web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setUserAgent("sluice-bridge"),
                new PoolOptions().setHttp1MaxSize(Math.max(settings.defaultMaxConcurrency(), 100)));
        Map<String, FunctionHandler> handlers = new HashMap<>();
        for (FunctionHandler handler : ServiceLoader.load(FunctionHandler.class)) {
            handlers.put(handler.name(), handler);
        }
        JavaFunctionInvoker javaInvoker = new JavaFunctionInvoker(handlers, handlerPool, scheduler, json);
        // One meter bills both: a mapping's batches (in its worker) and an SNS subscription's invocations.
        InvocationMeter meter = new InvocationMeter(usage, AccountScope.only(settings.accountId())::accountOf);
        FunctionInvoker httpInvoker = new HttpFunctionInvoker(web, json);
        MappingSupervisor supervisor = new MappingSupervisor(store, queues, httpInvoker, javaInvoker, settings, scheduler,
                meters, clock, meter);
        AsyncInvocations invocations = new AsyncInvocations(store, httpInvoker, javaInvoker, supervisor::permitsFor,
                scheduler, meter, System::nanoTime);
        BridgeApi api = new BridgeApi(store, queues, settings, javaInvoker::has, supervisor::refresh, clock,
                supervisor::recentErrorsOf);
        supervisor.start();
        LOG.info("function bridge started: queues at {}, in-process handlers {}", settings.queueBaseUrl(), handlers.keySet());
        return new FunctionBridge(api, supervisor, invocations, scheduler, handlerPool, web, settings);
    }

    public BridgeApi api() {
        return api;
    }

    /**
     * Invokes the function named {@code functionName} once with {@code event}, outside any mapping (how an
     * SNS topic invokes a subscribed function). Respects the function's timeout and reserved concurrency
     * (waiting at most the timeout for a permit, then failing with {@code TooManyRequestsException}), so
     * it settles within twice the timeout. Completes normally, always: a function that does not exist
     * ({@code ResourceNotFoundException}), an error or a timeout is an {@link InvocationOutcome.Failed};
     * {@link InvocationOutcome.Returned} means the function succeeded. No retries: they are the caller's. An
     * invocation that ran is billed at this node's edge, or, when the cluster bills it in the log, by the caller's
     * delete carrying {@link NotificationInvocation#bill}.
     */
    public CompletableFuture<NotificationInvocation> invoke(String functionName, FunctionEvent event) {
        return invocations.invoke(functionName, event);
    }

    /** What this bridge's pollers did: per function its meters' numbers, and the mappings' recent problems here. */
    public BridgeActivity activity() {
        return supervisor.activity();
    }

    /** Pollers this bridge runs for a mapping right now (0 when disabled, deleted or unknown). */
    public int pollers(String mappingUuid) {
        return supervisor.pollers(mappingUuid);
    }

    /** Stops the pollers, waits up to the stop grace for batches in flight to settle, then stops the threads. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            supervisor.close().get(settings.stopGrace().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("stopping the bridge's pollers did not finish cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        handlerPool.shutdownNow();
        web.close();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
