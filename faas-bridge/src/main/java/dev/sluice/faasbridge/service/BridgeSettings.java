package dev.sluice.faasbridge.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How one bridge runs. Every bound the pollers and invokers keep comes from here.
 *
 * @param queueBaseUrl          base URL of queue URLs for the QueueClient ({@code http://host:port}); the
 *                              in-process client ignores the host, the HTTP client sends requests there
 * @param region                region of function ARNs in API answers
 * @param accountId             account of function ARNs in API answers
 * @param pollWaitSeconds       long-poll wait of a receive, 1..20 s (default 20: an idle mapping costs
 *                              one receive per poller every 20 s)
 * @param initialPollers        pollers a mapping starts with (default 1)
 * @param defaultMaxConcurrency pollers (so concurrent invocations) of a mapping without
 *                              {@code MaximumConcurrency}, on this bridge (default 100)
 * @param scaleUpInterval       at most one poller is added to a mapping per interval (default 1 s)
 * @param scaleUpBacklogAge     a full batch adds a poller only when its oldest message waited at least
 *                              this long, i.e. a backlog is building (default 1 s)
 * @param refreshInterval       how often the mappings are re-read from the store, so changes made
 *                              elsewhere (another node, another bridge) take effect (default 2 s)
 * @param deleteAttempts        tries of a DeleteMessageBatch entry before its message is left to return
 *                              (at-least-once: the function may see it again) (default 5)
 * @param maxPayloadBytes       batches are closed before their event would exceed this (Lambda's 6 MB)
 * @param handlerThreads        threads that run in-process Java handlers (default 16)
 * @param stopGrace             how long stopping waits for invocations in flight to finish and settle
 * @param maxLabelledFunctions  (function, source queue) pairs, that is event source mappings, with meter series of
 *                              their own on this bridge; the meters of the mappings beyond are summed under
 *                              {@code function="__overflow__", queue="__overflow__"} (default 1,000)
 */
public record BridgeSettings(String queueBaseUrl, String region, String accountId, int pollWaitSeconds,
        int initialPollers, int defaultMaxConcurrency, Duration scaleUpInterval, Duration scaleUpBacklogAge,
        Duration refreshInterval, int deleteAttempts, long maxPayloadBytes, int handlerThreads, Duration stopGrace,
        int maxLabelledFunctions) {

    public static BridgeSettings defaults(String queueBaseUrl) {
        return new BridgeSettings(queueBaseUrl, "us-east-1", "000000000000", 20, 1, 100, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(2), 5, 6L * 1024 * 1024, 16, Duration.ofSeconds(10), 1000);
    }

    public BridgeSettings withPollWaitSeconds(int value) {
        return new BridgeSettings(queueBaseUrl, region, accountId, value, initialPollers, defaultMaxConcurrency, scaleUpInterval,
                scaleUpBacklogAge, refreshInterval, deleteAttempts, maxPayloadBytes, handlerThreads, stopGrace,
                maxLabelledFunctions);
    }

    public BridgeSettings withScaling(int initial, int defaultMax, Duration interval, Duration backlogAge) {
        return new BridgeSettings(queueBaseUrl, region, accountId, pollWaitSeconds, initial, defaultMax, interval, backlogAge,
                refreshInterval, deleteAttempts, maxPayloadBytes, handlerThreads, stopGrace,
                maxLabelledFunctions);
    }

    public BridgeSettings withRefreshInterval(Duration value) {
        return new BridgeSettings(queueBaseUrl, region, accountId, pollWaitSeconds, initialPollers, defaultMaxConcurrency,
                scaleUpInterval, scaleUpBacklogAge, value, deleteAttempts, maxPayloadBytes, handlerThreads, stopGrace,
                maxLabelledFunctions);
    }

    public BridgeSettings withMaxLabelledFunctions(int value) {
        return new BridgeSettings(queueBaseUrl, region, accountId, pollWaitSeconds, initialPollers, defaultMaxConcurrency,
                scaleUpInterval, scaleUpBacklogAge, refreshInterval, deleteAttempts, maxPayloadBytes, handlerThreads, stopGrace,
                value);
    }

    /** Every problem at once; empty when the settings are usable. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (queueBaseUrl == null || !queueBaseUrl.matches("https?://[^/]+")) {
            problems.add("queueBaseUrl must be http(s)://host:port without a path; got " + queueBaseUrl);
        }
        if (pollWaitSeconds < 1 || pollWaitSeconds > 20) {
            problems.add("pollWaitSeconds must be 1..20; got " + pollWaitSeconds);
        }
        if (initialPollers < 1 || initialPollers > defaultMaxConcurrency) {
            problems.add("initialPollers must be 1..defaultMaxConcurrency; got " + initialPollers);
        }
        if (defaultMaxConcurrency < 1 || defaultMaxConcurrency > 1000) {
            problems.add("defaultMaxConcurrency must be 1..1000; got " + defaultMaxConcurrency);
        }
        if (deleteAttempts < 1 || deleteAttempts > 20) {
            problems.add("deleteAttempts must be 1..20; got " + deleteAttempts);
        }
        if (handlerThreads < 1 || handlerThreads > 1000) {
            problems.add("handlerThreads must be 1..1000; got " + handlerThreads);
        }
        if (maxLabelledFunctions < 0) {
            problems.add("maxLabelledFunctions must not be negative; got " + maxLabelledFunctions);
        }
        for (Duration duration : List.of(scaleUpInterval, scaleUpBacklogAge, refreshInterval, stopGrace)) {
            if (duration.isNegative()) {
                problems.add("durations must not be negative; got " + duration);
            }
        }
        return problems;
    }
}
