package dev.sluice.notify.service;

import dev.sluice.clientsdk.filter.CidrBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the notification service.
 *
 * @param region the region in ARNs
 * @param accountId the account id in ARNs and queue URLs
 * @param allowedNetworks webhook targets in these networks are allowed even when loopback, private,
 *     link-local or metadata addresses (tests allow 127.0.0.1/32); empty: none
 * @param maxConcurrentDeliveries webhook requests in flight on this node at once
 * @param maxConcurrentDeliveriesPerSubscription requests in flight to one subscription at once, so one
 *     slow endpoint holds at most this share of {@code maxConcurrentDeliveries}
 * @param connectTimeout webhook connect timeout
 * @param responseTimeout time a webhook has to answer (SNS gives 15 s)
 * @param maxResponseBytes response body bytes read from a webhook; beyond this the connection is dropped
 * @param refreshInterval how often each node re-reads topics and subscriptions to start or stop workers
 * @param maxWorkers topic and subscription pollers on one node; more are not started (and logged); 0: none
 * @param smtp the SMTP relay for email subscriptions; null: email subscriptions are refused
 * @param fanoutPollersPerTopic concurrent fanout loops per topic on one node: one loop handles one batch
 *     of 10 at a time, so this bounds a topic's fanout rate per node
 * @param functionRetryDelays the waits before each retry of a failed function (lambda / function
 *     subscription) delivery; its size is the number of retries. Default 1 min, then 2 min: Lambda's
 *     asynchronous invocation, which SNS uses, retries a failing function twice that way. 0 to 10 entries
 *     of 1 s to 12 h (whole seconds).
 * @param orphanGrace an internal queue without an owning topic or subscription is deleted only once it
 *     is at least this old (and was ownerless on two refreshes in a row): CreateTopic and Subscribe make
 *     the queue before the catalog record, so a younger one may be about to get its owner
 * @param queueDeliveryAttempts how many times fanout tries to put a copy in an sqs subscription's queue (the queue
 *     refused it: its owner is over a quota, its Policy no longer allows the topic) before the copy goes to the
 *     subscription's dead-letter queue; without one it is retried on. Default {@link #SQS_DELIVERY_ATTEMPTS}, as SNS.
 */
public record NotifyConfig(String region, String accountId, List<CidrBlock> allowedNetworks,
        int maxConcurrentDeliveries, int maxConcurrentDeliveriesPerSubscription, Duration connectTimeout,
        Duration responseTimeout, int maxResponseBytes, Duration refreshInterval, int maxWorkers,
        int fanoutPollersPerTopic, Smtp smtp, List<Duration> functionRetryDelays, Duration orphanGrace,
        int queueDeliveryAttempts) {
    /** Lambda's asynchronous invocation retries a failing function twice, 1 min and then 2 min later. */
    public static final List<Duration> LAMBDA_RETRY_DELAYS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2));
    /**
     * SNS's delivery policy for Amazon SQS endpoints, which no DeliveryPolicy changes: 100,015 attempts in all
     * ({@link dev.sluice.notify.core.DeliveryPolicy#SQS_DEFAULT}).
     */
    public static final int SQS_DELIVERY_ATTEMPTS = 100_015;
    /** Topic and subscription pollers one node runs at most, by default. */
    public static final int DEFAULT_MAX_WORKERS = 2000;
    private static final int MAX_FUNCTION_RETRIES = 10;
    private static final Duration MAX_FUNCTION_RETRY_DELAY = Duration.ofHours(12);

    public NotifyConfig {
        allowedNetworks = List.copyOf(allowedNetworks);
        functionRetryDelays = List.copyOf(functionRetryDelays);
    }

    /**
     * @param host the relay's host
     * @param port its port
     * @param from the sender address of every email
     * @param timeout connect and read timeout
     */
    public record Smtp(String host, int port, String from, Duration timeout) {
    }

    public static NotifyConfig defaults(String region, String accountId) {
        return new NotifyConfig(region, accountId, List.of(), 256, 8, Duration.ofSeconds(5), Duration.ofSeconds(15),
                64 * 1024, Duration.ofSeconds(1), DEFAULT_MAX_WORKERS, 4, null, LAMBDA_RETRY_DELAYS, Duration.ofMinutes(5), SQS_DELIVERY_ATTEMPTS);
    }

    public NotifyConfig withAllowedNetworks(List<CidrBlock> networks) {
        return new NotifyConfig(region, accountId, networks, maxConcurrentDeliveries,
                maxConcurrentDeliveriesPerSubscription, connectTimeout, responseTimeout, maxResponseBytes,
                refreshInterval, maxWorkers, fanoutPollersPerTopic, smtp, functionRetryDelays, orphanGrace,
                queueDeliveryAttempts);
    }

    public NotifyConfig withSmtp(Smtp newSmtp) {
        return new NotifyConfig(region, accountId, allowedNetworks, maxConcurrentDeliveries,
                maxConcurrentDeliveriesPerSubscription, connectTimeout, responseTimeout, maxResponseBytes,
                refreshInterval, maxWorkers, fanoutPollersPerTopic, newSmtp, functionRetryDelays, orphanGrace,
                queueDeliveryAttempts);
    }

    public NotifyConfig withMaxConcurrentDeliveries(int deliveries) {
        return new NotifyConfig(region, accountId, allowedNetworks, deliveries,
                maxConcurrentDeliveriesPerSubscription, connectTimeout, responseTimeout, maxResponseBytes,
                refreshInterval, maxWorkers, fanoutPollersPerTopic, smtp, functionRetryDelays, orphanGrace,
                queueDeliveryAttempts);
    }

    public NotifyConfig withFunctionRetryDelays(List<Duration> delays) {
        return new NotifyConfig(region, accountId, allowedNetworks, maxConcurrentDeliveries,
                maxConcurrentDeliveriesPerSubscription, connectTimeout, responseTimeout, maxResponseBytes,
                refreshInterval, maxWorkers, fanoutPollersPerTopic, smtp, delays, orphanGrace,
                queueDeliveryAttempts);
    }

    public NotifyConfig withMaxWorkers(int workers) {
        return new NotifyConfig(region, accountId, allowedNetworks, maxConcurrentDeliveries,
                maxConcurrentDeliveriesPerSubscription, connectTimeout, responseTimeout, maxResponseBytes,
                refreshInterval, workers, fanoutPollersPerTopic, smtp, functionRetryDelays, orphanGrace,
                queueDeliveryAttempts);
    }

    public NotifyConfig withQueueDeliveryAttempts(int attempts) {
        return new NotifyConfig(region, accountId, allowedNetworks, maxConcurrentDeliveries,
                maxConcurrentDeliveriesPerSubscription, connectTimeout, responseTimeout, maxResponseBytes,
                refreshInterval, maxWorkers, fanoutPollersPerTopic, smtp, functionRetryDelays, orphanGrace, attempts);
    }

    /** Every problem at once. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (maxConcurrentDeliveries < 1 || maxConcurrentDeliveriesPerSubscription < 1) {
            problems.add("delivery concurrency must be at least 1");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || responseTimeout.isNegative() || responseTimeout.isZero()) {
            problems.add("webhook timeouts must be positive");
        }
        if (maxWorkers < 0) {
            problems.add("maxWorkers must not be negative");
        }
        if (fanoutPollersPerTopic < 1) {
            problems.add("fanoutPollersPerTopic must be at least 1");
        }
        if (orphanGrace.compareTo(refreshInterval.multipliedBy(2)) < 0) {
            problems.add("orphanGrace must be at least two refresh intervals");
        }
        if (maxResponseBytes < 0) {
            problems.add("maxResponseBytes must not be negative");
        }
        if (functionRetryDelays.size() > MAX_FUNCTION_RETRIES || functionRetryDelays.stream().anyMatch(delay ->
                delay.compareTo(Duration.ofSeconds(1)) < 0 || delay.compareTo(MAX_FUNCTION_RETRY_DELAY) > 0)) {
            problems.add("functionRetryDelays: at most " + MAX_FUNCTION_RETRIES + " delays of 1 s to 12 h");
        }
        if (queueDeliveryAttempts < 1 || queueDeliveryAttempts > SQS_DELIVERY_ATTEMPTS) {
            problems.add("queueDeliveryAttempts: 1 to " + SQS_DELIVERY_ATTEMPTS);
        }
        return problems;
    }
}
