package dev.sluice.faasbridge.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.SqsException;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.faasbridge.core.InvocationOutcome;
import dev.sluice.faasbridge.core.BatchResponseRules;
import dev.sluice.faasbridge.core.BatchSettlement;
import dev.sluice.faasbridge.core.BatchVerdict;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionEvent;
import dev.sluice.faasbridge.core.SqsEvents;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pollers of one mapping on this bridge. Each poller loops: take an invocation slot, receive a batch
 * (never more than one invocation takes), invoke, delete what succeeded. Pollers are added while batches
 * come back full with a backlog behind them, and retire when a long poll comes back empty, between one
 * and the mapping's maximum concurrency. Loops run as future chains on the scheduler; no thread blocks.
 */
final class MappingWorker {
    private static final Logger LOG = LoggerFactory.getLogger(MappingWorker.class);
    /** Receives a request at most (the SQS limit). */
    private static final int RECEIVE_MAX = 10;
    /**
     * SQS's default largest message. A batch stops growing when one more receive of messages as large as
     * this (or as the largest seen so far) could pass the payload bound.
     */
    private static final long TYPICAL_MAX_MESSAGE_BYTES = 256 * 1024;
    private static final long RECEIVE_ERROR_BACKOFF_MILLIS = 1000;
    /** A receive failing again and again (a deleted queue, a server down) is logged once a minute, not once a second. */
    private static final long RECEIVE_ERROR_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final EventSourceMapping mapping;
    private final FunctionDefinition function;
    private final String queueUrl;
    private final QueueClient queues;
    private final FunctionInvoker invoker;
    private final AsyncPermits functionPermits;
    private final Predicate<Message> filter;
    private final BridgeSettings settings;
    private final ScheduledExecutorService scheduler;
    private final BridgeMetrics metrics;
    private final RecentErrors recentErrors;
    private final InstantSource clock;
    /** This bridge's share of the mapping's MaximumConcurrency (or the bridge's default); may change while running. */
    private volatile int maxPollers;
    private final BatchDeleter deleter;
    private final InvocationMeter invocationMeter;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    /** This worker's pollers; the mapping's gauge (shared with a worker it replaces) follows it. */
    private final java.util.concurrent.atomic.AtomicInteger pollers = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong lastScaleUpNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong lastReceiveErrorLogNanos = new AtomicLong(System.nanoTime() - RECEIVE_ERROR_LOG_INTERVAL_NANOS);
    private final CompletableFuture<Void> allRetired = new CompletableFuture<>();
    private volatile boolean stopped;

    MappingWorker(EventSourceMapping mapping, FunctionDefinition function, QueueClient queues, FunctionInvoker invoker,
            AsyncPermits functionPermits, Predicate<Message> filter, int maxPollers, BridgeSettings settings,
            ScheduledExecutorService scheduler, BridgeMetrics metrics, RecentErrors recentErrors, InstantSource clock,
            InvocationMeter invocationMeter) {
        this.invocationMeter = invocationMeter;
        this.mapping = mapping;
        this.function = function;
        this.queueUrl = mapping.eventSourceArn().queueUrl().toUrl(settings.queueBaseUrl());
        this.queues = queues;
        this.invoker = invoker;
        this.functionPermits = functionPermits;
        this.filter = filter;
        this.settings = settings;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.recentErrors = recentErrors;
        this.clock = clock;
        this.deleter = new BatchDeleter(queues, queueUrl, mapping.uuid(), settings.deleteAttempts(), scheduler, metrics);
        this.maxPollers = maxPollers;
    }

    EventSourceMapping mapping() {
        return mapping;
    }

    FunctionDefinition function() {
        return function;
    }

    int pollers() {
        return pollers.get();
    }

    void start() {
        for (int i = 0; i < Math.min(settings.initialPollers(), maxPollers); i++) {
            addPoller();
        }
    }

    /**
     * Changes this bridge's share of the mapping's concurrency. Pollers over a lowered share retire after
     * their current batch; a share that rises from 0 starts one poller (scaling adds the rest).
     */
    void limitPollers(int share) {
        maxPollers = share;
        if (share > 0 && pollers.get() == 0) {
            addPoller();
        }
    }

    /**
     * Stops polling: waits cancelled, batches in flight finish their invocation and deletes. Completes
     * when every poller is gone or after the stop grace, whichever comes first.
     */
    CompletableFuture<Void> stop() {
        stopped = true;
        pending.forEach(future -> future.cancel(false));
        if (pollers.get() == 0) {
            allRetired.complete(null);
        }
        return allRetired.completeOnTimeout(null, settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean addPoller() {
        int current;
        do {
            current = pollers.get();
            if (stopped || current >= maxPollers) {
                return false;
            }
        } while (!pollers.compareAndSet(current, current + 1));
        metrics.pollers.incrementAndGet();
        scheduler.execute(this::cycle);
        return true;
    }

    private void retire() {
        metrics.pollers.decrementAndGet();
        if (pollers.decrementAndGet() == 0 && stopped) {
            allRetired.complete(null);
        }
    }

    /** Retires this poller when the mapping has more pollers here than this bridge's share allows. */
    private boolean retireIfOverShare() {
        int current;
        do {
            current = pollers.get();
            if (current <= maxPollers) {
                return false;
            }
        } while (!pollers.compareAndSet(current, current - 1));
        metrics.pollers.decrementAndGet();
        return true;
    }

    /** Retires this poller when others remain: an empty long poll means the mapping has more pollers than work. */
    private boolean retireIfSpare() {
        int current;
        do {
            current = pollers.get();
            if (current <= 1 && !stopped) {
                return false;
            }
        } while (!pollers.compareAndSet(current, current - 1));
        metrics.pollers.decrementAndGet();
        if (current == 1) {
            allRetired.complete(null);
        }
        return true;
    }

    private void next() {
        if (stopped) {
            retire();
        } else if (!retireIfOverShare()) {
            scheduler.execute(this::cycle);
        }
    }

    private void cycle() {
        if (stopped) {
            retire();
            return;
        }
        CompletableFuture<Void> permit = functionPermits == null ? CompletableFuture.completedFuture(null)
                : track(functionPermits.acquire());
        permit.whenComplete((ignored, cancelled) -> {
            if (cancelled != null) {
                retire();
                return;
            }
            Runnable release = releaseOnce();
            if (stopped) {
                release.run();
                retire();
                return;
            }
            gather().whenComplete((batch, error) -> afterGather(batch, error, release));
        });
    }

    private void afterGather(List<Message> batch, Throwable error, Runnable release) {
        if (error != null || batch.isEmpty()) {
            release.run();
            if (error == null) {
                metrics.recordSourceAge(mapping.uuid(), 0);
            }
            if (error != null && !stopped) {
                recentErrors.failed(clock.instant(), "receiving from " + mapping.eventSourceArn() + " failed: "
                        + rootMessage(error));
                long lastLog = lastReceiveErrorLogNanos.get();
                if (System.nanoTime() - lastLog >= RECEIVE_ERROR_LOG_INTERVAL_NANOS
                        && lastReceiveErrorLogNanos.compareAndSet(lastLog, System.nanoTime())) {
                    LOG.warn("mapping {}: receiving from {} failed (retrying every second): {}", mapping.uuid(), queueUrl,
                            rootMessage(error));
                }
                scheduler.schedule(this::next, RECEIVE_ERROR_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
            } else if (error != null || !retireIfSpare()) {
                next();
            }
            return;
        }
        process(batch, release).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.error("mapping {}: settling a batch failed", mapping.uuid(), failure);
            }
            release.run();
            next();
        });
    }

    private Runnable releaseOnce() {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (functionPermits != null && released.compareAndSet(false, true)) {
                functionPermits.release();
            }
        };
    }

    /**
     * Receives until the batch is full, its window (from the first message) closed, or its payload bound
     * reached; a receive that waited 0 s (under a second of window left) and found nothing also ends it.
     * Empty after an empty long poll.
     */
    private CompletableFuture<List<Message>> gather() {
        return receiveInto(new ArrayList<>(), 0L, 0L);
    }

    private CompletableFuture<List<Message>> receiveInto(List<Message> batch, long windowDeadlineNanos, long bytes) {
        int want = Math.min(RECEIVE_MAX, mapping.batchSize() - batch.size());
        int waitSeconds = settings.pollWaitSeconds();
        if (!batch.isEmpty()) {
            waitSeconds = (int) Math.min(waitSeconds, TimeUnit.NANOSECONDS.toSeconds(windowDeadlineNanos - System.nanoTime()));
        }
        int waited = waitSeconds;
        ReceiveMessageRequest request = new ReceiveMessageRequest(queueUrl, null, List.of("All"), List.of("All"), want, null,
                waitSeconds, null);
        return track(queues.receiveMessage(request)).handle((response, error) -> {
            if (error != null && batch.isEmpty()) {
                throw error instanceof CompletionException completion ? completion : new CompletionException(error);
            }
            return error != null ? null : response;
        }).thenCompose(response -> {
            if (response == null) {
                // A later receive of the window failed: the batch as gathered is invoked, not dropped.
                return CompletableFuture.completedFuture(batch);
            }
            batch.addAll(response.messages());
            long size = bytes + response.messages().stream().mapToLong(SqsEvents::approximateSize).sum();
            long largest = Math.max(TYPICAL_MAX_MESSAGE_BYTES,
                    batch.stream().mapToLong(SqsEvents::approximateSize).max().orElse(0));
            boolean drained = response.messages().isEmpty() && waited == 0;
            if (batch.isEmpty() || mapping.maximumBatchingWindowSeconds() == 0 || batch.size() >= mapping.batchSize()
                    || size + RECEIVE_MAX * largest > settings.maxPayloadBytes() || drained || stopped) {
                return CompletableFuture.completedFuture(batch);
            }
            long deadline = windowDeadlineNanos != 0L ? windowDeadlineNanos
                    : System.nanoTime() + TimeUnit.SECONDS.toNanos(mapping.maximumBatchingWindowSeconds());
            if (deadline - System.nanoTime() <= 0) {
                return CompletableFuture.completedFuture(batch);
            }
            return receiveInto(batch, deadline, size);
        });
    }

    private CompletableFuture<Void> process(List<Message> batch, Runnable release) {
        maybeScaleUp(batch);
        List<Message> matching = batch.stream().filter(filter).toList();
        CompletableFuture<Void> filteredOut = CompletableFuture.completedFuture(null);
        if (matching.size() < batch.size()) {
            List<Message> dropped = batch.stream().filter(message -> !filter.test(message)).toList();
            metrics.filtered.increment(dropped.size());
            filteredOut = deleter.deleteAll(dropped);
        }
        if (matching.isEmpty()) {
            release.run();
            return filteredOut;
        }
        metrics.batchSize.record(matching.size());
        metrics.invocations.increment();
        metrics.concurrency.incrementAndGet();
        Set<String> ids = matching.stream().map(Message::messageId).collect(Collectors.toSet());
        // Asked before the invocation, so its bill goes either with its delete or to the edge, never both.
        CompletableFuture<Void> invoked = invocationMeter.billedInLog().thenCompose(billedInLog ->
                invokeAndSettle(matching, ids, release, billedInLog));
        return CompletableFuture.allOf(filteredOut, invoked);
    }

    /**
     * Invokes the function with the batch and deletes what it settled. In the log ({@code billedInLog}), the delete
     * carries the invocation's bill (billed if it removes a message: an invocation whose messages all failed, or whose
     * delete was lost, bills nothing); else the invocation is counted at the edge whatever it answered.
     */
    private CompletableFuture<Void> invokeAndSettle(List<Message> matching, Set<String> ids, Runnable release,
            boolean billedInLog) {
        long invokedAt = System.nanoTime();
        return invoker.invoke(function, new FunctionEvent.Sqs(SqsEvents.of(matching, mapping.eventSourceArn())))
                .whenComplete((outcome, failure) -> {
                    if (!billedInLog) {
                        invocationMeter.atEdge(function.name(), System.nanoTime() - invokedAt);
                    }
                })
                .thenCompose(outcome -> {
                    long elapsedNanos = System.nanoTime() - invokedAt;
                    metrics.duration.record(elapsedNanos, TimeUnit.NANOSECONDS);
                    if (outcome instanceof InvocationOutcome.Failed failed
                            && AsyncInvocations.THROTTLED.equals(failed.errorType())) {
                        metrics.throttles.increment();
                    }
                    metrics.concurrency.decrementAndGet();
                    release.run();
                    BatchVerdict verdict = BatchResponseRules.verdict(outcome, mapping.reportBatchItemFailures(), ids);
                    if (verdict.kind() == BatchVerdict.Kind.ALL_FAILED) {
                        metrics.errors.increment();
                        recentErrors.failed(clock.instant(), "batch of " + ids.size() + " failed: " + verdict.reason());
                        LOG.debug("mapping {}: batch of {} failed: {}", mapping.uuid(), ids.size(), verdict.reason());
                    } else if (verdict.kind() == BatchVerdict.Kind.PARTIAL) {
                        metrics.partialFailures.increment();
                        recentErrors.failed(clock.instant(), "partial batch failure: " + verdict.failedMessageIds().size()
                                + " of " + ids.size() + " records failed");
                    } else {
                        recentErrors.succeeded();
                    }
                    return deleter.deleteAll(BatchSettlement.toDelete(matching, verdict, mapping.eventSourceArn().isFifo()),
                            billedInLog ? invocationMeter.bill(function.name(), elapsedNanos) : null);
                });
    }

    private void maybeScaleUp(List<Message> batch) {
        long oldestSent = batch.stream().mapToLong(MappingWorker::sentTimestamp).min().orElse(clock.millis());
        long ageMillis = clock.millis() - oldestSent;
        metrics.recordIteratorAge(ageMillis);
        metrics.recordSourceAge(mapping.uuid(), ageMillis);
        boolean full = batch.size() >= mapping.batchSize();
        if (!full || ageMillis < settings.scaleUpBacklogAge().toMillis()) {
            return;
        }
        long last = lastScaleUpNanos.get();
        long now = System.nanoTime();
        if (now - last >= settings.scaleUpInterval().toNanos() && lastScaleUpNanos.compareAndSet(last, now)) {
            addPoller();
        }
    }

    private static long sentTimestamp(Message message) {
        String sent = message.attributes().get("SentTimestamp");
        try {
            return sent == null ? Long.MAX_VALUE : Long.parseLong(sent);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private <T> CompletableFuture<T> track(CompletableFuture<T> future) {
        pending.add(future);
        future.whenComplete((ignored, error) -> pending.remove(future));
        if (stopped) {
            future.cancel(false);
        }
        return future;
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause instanceof SqsException sqs ? sqs.error().code() + ": " + sqs.getMessage() : String.valueOf(cause);
    }
}
