package dev.sluice.notify.service;

import dev.sluice.clientsdk.ReservedQueueNames;
import dev.sluice.clientsdk.model.ChangeMessageVisibilityRequest;
import dev.sluice.clientsdk.model.DeleteMessageBatchRequest;
import dev.sluice.clientsdk.model.DeleteMessageBatchRequestEntry;
import dev.sluice.clientsdk.model.DeleteMessageRequest;
import dev.sluice.clientsdk.model.InvocationBill;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.signature.StandardWebhookSignature;
import dev.sluice.notify.core.DeliveryPolicy;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import dev.sluice.notify.core.TopicArn;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one push subscription's delivery queue: long-poll receives of at most the per-subscription
 * concurrency, one POST, email or function invocation each (bounded also by the node-wide limit), delete on
 * success (2xx, relay accepted, function returned), otherwise ChangeMessageVisibility to the next delay of
 * the {@link RetrySchedule} (HTTP: the delivery policy; functions: Lambda's asynchronous retries). After
 * the last attempt the message goes to the subscription's dead-letter queue (the queue's RedrivePolicy
 * moves it on the next receive) or, with none, is dropped as SNS drops it. Each subscription has its own loop and share of connections, so a
 * slow endpoint delays only itself.
 */
final class DeliveryWorker extends QueuePoller {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final int WAIT_SECONDS = 20;
    private static final long ERROR_PAUSE_MILLIS = 1000;
    /** How long a loop waits for the node's delivery permits to free up before it receives again. */
    private static final long FULL_PAUSE_MILLIS = 100;
    /**
     * How long a received message waits for a delivery permit (part of its visibility timeout, see
     * NotifyService), and how often it looks for one.
     */
    static final Duration PERMIT_WAIT = Duration.ofSeconds(5);
    private static final long PERMIT_RETRY_MILLIS = 20;

    private final NotifyServices services;
    /** Touched only by this worker's loop, one poll at a time. */
    private final RepeatedFailure loopFailure;
    private volatile Subscription subscription;
    private volatile Topic topic;

    DeliveryWorker(Subscription subscription, Topic topic, NotifyServices services) {
        this.subscription = subscription;
        this.topic = topic;
        this.services = services;
        this.loopFailure = new RepeatedFailure(services.clock());
    }

    /** Takes a newer catalog snapshot (attributes, confirmation, topic policy). */
    void update(Subscription newSubscription, Topic newTopic) {
        this.subscription = newSubscription;
        this.topic = newTopic;
    }

    private DeliveryPolicy policy() {
        return DeliveryPolicy.effective(subscription.attributes().get("DeliveryPolicy"),
                topic.attributes().get("DeliveryPolicy"), subscription.protocol());
    }

    private RetrySchedule retries(Subscription current) {
        FunctionDeliveries functions = services.functionDeliveries();
        return RetrySchedule.of(current, topic.attributes().get("DeliveryPolicy"),
                functions == null ? java.util.List.of() : functions.retryDelays());
    }

    /** A function invocation may take far longer than a webhook POST; the message stays invisible meanwhile. */
    private int visibilitySeconds(Subscription current) {
        return current.function() && services.functionDeliveries() != null
                ? services.functionDeliveries().visibilitySeconds() : services.deliveryVisibilitySeconds();
    }

    @Override
    void poll() {
        if (stopped()) {
            return;
        }
        Subscription current = subscription;
        // Receive no more than the node has delivery permits for right now: every receive counts as an attempt
        // (ApproximateReceiveCount), so a message received without a permit would spend one of its retries.
        int room = Math.min(Math.min(10, services.config().maxConcurrentDeliveriesPerSubscription()),
                services.deliveryPermits().availablePermits());
        if (room <= 0) {
            services.timers().schedule(this::poll, FULL_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        long started = System.nanoTime();
        CompletableFuture<List<Message>> received = track(services.queueClient().receiveMessage(new ReceiveMessageRequest(
                        services.internalQueues().deliveryUrl(current), List.of("ApproximateReceiveCount"), List.of(),
                        List.of("All"), room, visibilitySeconds(current), WAIT_SECONDS, null)))
                .thenApply(response -> response.messages());
        received.thenCompose(messages -> Futures.all(messages.stream().map(message -> deliver(current, message)).toList())
                        .thenApply(done -> messages.size()))
                .whenComplete((count, failure) -> {
                    if (stopped()) {
                        return;
                    }
                    if (failure != null) {
                        if (!InternalQueues.isMissingQueue(failure) && loopFailure.failed()) {
                            LOG.warn("delivery loop of subscription {} failed ({} times in a row): {}; retrying",
                                    current.id(), loopFailure.failures(), Futures.describe(failure), Futures.unexpected(failure));
                        }
                        services.timers().schedule(this::poll, ERROR_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
                        return;
                    }
                    if (loopFailure.recovered()) {
                        LOG.info("delivery loop of subscription {} works again", current.id());
                    }
                    services.timers().schedule(this::poll, throttleMillis(count, started), TimeUnit.MILLISECONDS);
                });
    }

    /** Time to wait so that at most maxReceivesPerSecond deliveries start each second. */
    private long throttleMillis(int delivered, long startedNanos) {
        Integer perSecond = policy().maxReceivesPerSecond();
        if (perSecond == null || delivered == 0) {
            return 0;
        }
        long owed = delivered * 1000L / perSecond;
        long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        return Math.max(0, owed - spent);
    }

    private CompletableFuture<Void> deliver(Subscription current, Message message) {
        return permit(System.nanoTime() + PERMIT_WAIT.toNanos()).thenCompose(granted -> {
            if (!granted) {
                // The node stayed at its delivery limit: let the message go for now. Its receive counted, so
                // this spends an attempt; checking for room before receiving and waiting here make it rare.
                return changeVisibility(current, message, 1);
            }
            return deliverHoldingPermit(current, message);
        });
    }

    /**
     * Takes one of the node's delivery permits, waiting for one (without blocking a thread) until {@code deadline};
     * false when none came free. Other subscriptions may take the permits between the room check before the
     * receive and now; a received message waits rather than being let go at once.
     */
    private CompletableFuture<Boolean> permit(long deadlineNanos) {
        if (services.deliveryPermits().tryAcquire()) {
            return CompletableFuture.completedFuture(true);
        }
        if (System.nanoTime() >= deadlineNanos || stopped()) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> later = new CompletableFuture<>();
        services.timers().schedule(() -> permit(deadlineNanos).whenComplete((granted, failure) -> later.complete(
                failure == null && granted)), PERMIT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
        return later;
    }

    private CompletableFuture<Void> deliverHoldingPermit(Subscription current, Message message) {
        Semaphore permits = services.deliveryPermits();
        String messageId = DeliveryMessages.text(message.messageAttributes(), DeliveryMessages.MESSAGE_ID);
        String type = DeliveryMessages.text(message.messageAttributes(), DeliveryMessages.TYPE);
        boolean raw = "true".equals(DeliveryMessages.text(message.messageAttributes(), DeliveryMessages.RAW));
        CompletableFuture<Attempt> posted;
        try {
            posted = current.function() ? invoke(current, message)
                    : (current.email() ? mail(current, type, message.body())
                    : services.webhooks().post(URI.create(current.endpoint()), headers(current, type, messageId, raw,
                            message.body()), message.body())).thenApply(status -> new Attempt(status, null));
        } catch (RuntimeException e) {
            posted = CompletableFuture.failedFuture(e);
        }
        return posted.handle((attempt, failure) -> {
            permits.release();
            boolean delivered = failure == null && attempt.status() >= 200 && attempt.status() < 300;
            NotificationCounts counts = services.health().counts();
            if (delivered) {
                counts.delivered(current.topicName(), current.protocol(), 1);
                DeliveryMessages.secondsSince(DeliveryMessages.text(message.messageAttributes(), DeliveryMessages.PUBLISHED),
                        services.clock().instant()).ifPresent(seconds -> counts.latency(current.protocol(), seconds));
                services.health().delivered(current);
            } else {
                counts.failed(current.topicName(), current.protocol(), 1);
                services.health().failed(current, failure != null ? DeliveryHealth.describe(current, failure)
                        : "the endpoint answered HTTP " + attempt.status(), retryIn(current, message));
            }
            return delivered ? attempt : null;
        }).thenCompose(delivered -> {
            if (delivered != null) {
                // The entry id tells the queue engine this delete ends a delivery: removing the copy bills it, once,
                // and so the function invocation that delivered it, if the delete carries its bill.
                return services.queueClient().deleteMessageBatch(new DeleteMessageBatchRequest(
                        services.internalQueues().deliveryUrl(current), List.of(new DeleteMessageBatchRequestEntry(
                                ReservedQueueNames.DELIVERED_ENTRY_ID, message.receiptHandle())), delivered.invocationBill()))
                        .thenApply(deleted -> null);
            }
            return retryOrGiveUp(current, message);
        });
    }

    /**
     * One attempt's answer: an HTTP status (a relay's or function's success is 200) and, for a function invocation the
     * cluster bills in the log, its bill for the delete after success (else null).
     */
    private record Attempt(int status, InvocationBill invocationBill) {
    }

    /**
     * Invokes the subscribed function with Lambda's SNS event made from the queued envelope. Completes with
     * 200 (and the invocation's bill, if any) when the function returned; a failure (unknown function, error,
     * timeout, no bridge) is logged and counts as a failed attempt.
     */
    private CompletableFuture<Attempt> invoke(Subscription current, Message message) {
        FunctionDeliveries functions = services.functionDeliveries();
        // The function of the ARN's account (Subscribe let only the subscriber's own account be named).
        String functionName = Subscription.functionKey(current.endpoint(), services.config().accountId()).orElseThrow();
        if (functions == null) {
            return CompletableFuture.failedFuture(new DeliveryHealth.Refused("cannot invoke function " + functionName
                    + ": no function bridge runs here"));
        }
        TopicArn topicArn = TopicArn.ofQualified(services.config().region(), current.topicName(),
                services.config().accountId());
        String event = services.envelopes().lambdaEvent(message.body(), topicArn.subscription(current.id()));
        return functions.functions().invoke(functionName, event).thenApply(result -> {
            if (result.succeeded()) {
                return new Attempt(200, result.bill());
            }
            throw new DeliveryHealth.Refused("invoking function " + functionName + " failed (attempt "
                    + message.attributes().getOrDefault("ApproximateReceiveCount", "1") + "): " + result.failure());
        });
    }

    /**
     * Emails a confirmation (its SubscribeURL) or a notification: {@code email} gets the message with its
     * subject, {@code email-json} the JSON envelope. Completes with 200 once the relay accepted it.
     */
    private CompletableFuture<Integer> mail(Subscription current, String type, String envelopeJson) {
        Map<String, String> envelope = new LinkedHashMap<>();
        try {
            JSON.readTree(envelopeJson).fields()
                    .forEachRemaining(field -> envelope.put(field.getKey(), field.getValue().asText()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        String subject;
        String body;
        if ("SubscriptionConfirmation".equals(type)) {
            subject = "AWS Notification - Subscription Confirmation";
            body = envelope.get("Message") + "\n\nConfirm subscription: " + envelope.get("SubscribeURL") + "\n";
        } else {
            subject = envelope.getOrDefault("Subject", "AWS Notification Message");
            body = current.protocol().equals("email-json") ? envelopeJson
                    : envelope.get("Message") + "\n\n--\nTo unsubscribe: " + envelope.get("UnsubscribeURL") + "\n";
        }
        return services.mailer().send(current.endpoint(), subject, body).thenApply(sent -> 200);
    }

    /** When the retry of a failed attempt at {@code message} is due (see {@link #retryOrGiveUp}); zero after the last. */
    private Duration retryIn(Subscription current, Message message) {
        int attempt = Integer.parseInt(message.attributes().getOrDefault("ApproximateReceiveCount", "1"));
        RetrySchedule schedule = retries(current);
        return attempt < schedule.maxAttempts() ? schedule.delayBeforeRetry(attempt) : Duration.ZERO;
    }

    private CompletableFuture<Void> retryOrGiveUp(Subscription current, Message message) {
        int attempt = Integer.parseInt(message.attributes().getOrDefault("ApproximateReceiveCount", "1"));
        RetrySchedule schedule = retries(current);
        if (attempt < schedule.maxAttempts()) {
            Duration delay = schedule.delayBeforeRetry(attempt);
            return changeVisibility(current, message, (int) Math.ceil(delay.toMillis() / 1000.0));
        }
        if (current.attributes().containsKey("RedrivePolicy") && !current.attributes().get("RedrivePolicy").isEmpty()) {
            // The delivery queue's RedrivePolicy moves it on its next receive: given up on here, counted here once.
            if (!"SubscriptionConfirmation".equals(DeliveryMessages.text(message.messageAttributes(), DeliveryMessages.TYPE))) {
                services.health().counts().deadLettered(current.topicName(), current.protocol(), 1);
            }
            return changeVisibility(current, message, 0);
        }
        LOG.info("dropping message {} for subscription {} after {} attempts", message.messageId(), current.id(), attempt);
        return services.queueClient().deleteMessage(new DeleteMessageRequest(services.internalQueues().deliveryUrl(current),
                message.receiptHandle())).thenApply(deleted -> null);
    }

    private CompletableFuture<Void> changeVisibility(Subscription current, Message message, int seconds) {
        return services.queueClient().changeMessageVisibility(new ChangeMessageVisibilityRequest(
                        services.internalQueues().deliveryUrl(current), message.receiptHandle(), seconds))
                .handle((changed, failure) -> null);
    }

    private Map<String, String> headers(Subscription current, String type, String messageId, boolean raw, String body) {
        TopicArn topicArn = TopicArn.ofQualified(services.config().region(), current.topicName(),
                services.config().accountId());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=UTF-8");
        headers.put("User-Agent", "Amazon Simple Notification Service Agent");
        headers.put("x-amz-sns-message-type", type);
        headers.put("x-amz-sns-message-id", messageId);
        headers.put("x-amz-sns-topic-arn", topicArn.toString());
        if ("Notification".equals(type)) {
            headers.put("x-amz-sns-subscription-arn", topicArn.subscription(current.id()));
        }
        if (raw) {
            headers.put("x-amz-sns-rawdelivery", "true");
        }
        long timestamp = services.clock().instant().getEpochSecond();
        headers.put(StandardWebhookSignature.ID_HEADER, messageId);
        headers.put(StandardWebhookSignature.TIMESTAMP_HEADER, String.valueOf(timestamp));
        headers.put(StandardWebhookSignature.SIGNATURE_HEADER,
                StandardWebhookSignature.sign(current.webhookSecret(), messageId, timestamp, body));
        return headers;
    }
}
