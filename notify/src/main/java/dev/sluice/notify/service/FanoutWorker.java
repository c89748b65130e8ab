package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.model.DeleteMessageBatchRequest;
import dev.sluice.clientsdk.model.DeleteMessageBatchRequestEntry;
import dev.sluice.clientsdk.model.Message;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.clientsdk.model.ReceiveMessageRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequestEntry;
import dev.sluice.clientsdk.model.SendMessageRequest;
import dev.sluice.notify.core.DeliveryPolicy;
import dev.sluice.notify.core.PublishedMessage;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one topic's published messages from its outbox to every matching, confirmed subscription: a
 * loop of long-poll receives, then one batch send per subscription, then one batch delete.
 *
 * <p>At-least-once: a message is deleted from the outbox only after every copy is durable. When some
 * subscriptions' sends fail, a remainder message naming just those subscriptions goes back to the outbox
 * (delayed) before the original is deleted, so the others get no second copy from that retry. What stays
 * at-least-once: a node that dies after sending copies and before deleting leaves the message to be
 * fanned out again (duplicates carry the same SNS MessageId, so endpoints can drop them), and the delete
 * of a remainder's original may itself fail. Runs on every node; receives are what divide the work.
 */
final class FanoutWorker extends QueuePoller {
    private static final Logger LOG = LoggerFactory.getLogger(FanoutWorker.class);
    private static final int WAIT_SECONDS = 20;
    private static final long ERROR_PAUSE_MILLIS = 1000;

    private final Topic topic;
    private final NotifyServices services;
    /** The topic's subscriptions, shared with its other pollers on this node. */
    private final TopicSubscriptions subscriptions;
    /** Touched only by this worker's loop, one poll at a time. */
    private final RepeatedFailure loopFailure;

    FanoutWorker(Topic topic, NotifyServices services, TopicSubscriptions subscriptions) {
        this.topic = topic;
        this.services = services;
        this.subscriptions = subscriptions;
        this.loopFailure = new RepeatedFailure(services.clock());
    }

    @Override
    void poll() {
        if (stopped()) {
            return;
        }
        QueueClient queues = services.queueClient();
        CompletableFuture<List<Message>> received = track(queues.receiveMessage(new ReceiveMessageRequest(
                        services.internalQueues().outboxUrl(topic), List.of(), List.of(), List.of(), 10, null,
                        WAIT_SECONDS, null)))
                .thenApply(response -> response.messages());
        received.thenCompose(this::fanOut).whenComplete((done, failure) -> {
            if (stopped()) {
                return;
            }
            if (failure != null) {
                if (InternalQueues.isMissingQueue(failure)) {
                    return;
                }
                if (loopFailure.failed()) {
                    LOG.warn("fanout of topic {} failed ({} times in a row): {}; retrying every second", topic.name(),
                            loopFailure.failures(), Futures.describe(failure), Futures.unexpected(failure));
                }
                services.timers().schedule(this::poll, ERROR_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                if (loopFailure.recovered()) {
                    LOG.info("fanout of topic {} works again", topic.name());
                }
                poll();
            }
        });
    }

    private CompletableFuture<Void> fanOut(List<Message> messages) {
        if (messages.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return this.subscriptions.current().thenCompose(subscriptions -> {
            List<PublishedMessage> published = messages.stream().map(message -> PublishedMessage.fromJson(message.body()))
                    .toList();
            Map<Subscription, List<Integer>> targets = targets(published, subscriptions);
            List<Set<String>> failedByMessage = new ArrayList<>();
            published.forEach(message -> failedByMessage.add(new TreeSet<>()));
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            targets.forEach((subscription, indexes) -> sends.add(send(subscription, published, indexes)
                    .handle((sent, failure) -> {
                        List<Integer> failedIndexes = failure != null ? indexes : sent.failed();
                        synchronized (failedByMessage) {
                            failedIndexes.forEach(index -> failedByMessage.get(index).add(subscription.id()));
                        }
                        Throwable undelivered = failure != null ? failure : sent.deadLetteredBecause();
                        NotificationCounts counts = services.health().counts();
                        // Copies put in the dead-letter queue instead were not delivered: their attempt failed.
                        int failedCount = undelivered != null ? indexes.size() : failedIndexes.size();
                        counts.failed(topic.name(), subscription.protocol(), failedCount);
                        counts.delivered(topic.name(), subscription.protocol(), indexes.size() - failedCount);
                        if (undelivered == null) {
                            latencies(subscription, published, indexes, failedIndexes);
                        }
                        // The failed copies are retried by a remainder in the outbox, due as SNS's policy for queues
                        // says; copies that went to the dead-letter queue instead have no retry.
                        java.time.Duration retryIn = java.time.Duration.ofSeconds(failure == null && undelivered != null
                                ? 0 : retryDelaySeconds(published.get(indexes.get(0))));
                        if (undelivered != null) {
                            services.health().failed(subscription, DeliveryHealth.describe(subscription, undelivered)
                                    + (failure == null ? "; its copies went to the subscription's dead-letter queue" : ""),
                                    retryIn);
                        } else if (!failedIndexes.isEmpty()) {
                            services.health().failed(subscription, "the queue refused " + failedIndexes.size() + " of "
                                    + indexes.size() + " messages", retryIn);
                        } else {
                            services.health().delivered(subscription);
                        }
                        return null;
                    })));
            return Futures.all(sends).thenCompose(done -> finish(messages, published, failedByMessage));
        });
    }

    /** The publish-to-delivery time of each copy that reached the subscribed queue. */
    private void latencies(Subscription subscription, List<PublishedMessage> published, List<Integer> indexes,
            List<Integer> failedIndexes) {
        java.time.Instant now = services.clock().instant();
        for (int index : indexes) {
            if (!failedIndexes.contains(index)) {
                DeliveryMessages.secondsSince(published.get(index).timestamp(), now).ifPresent(seconds ->
                        services.health().counts().latency(subscription.protocol(), seconds));
            }
        }
    }

    private Map<Subscription, List<Integer>> targets(List<PublishedMessage> published, List<Subscription> subscriptions) {
        Map<Subscription, List<Integer>> targets = new LinkedHashMap<>();
        for (Subscription subscription : subscriptions) {
            if (!subscription.confirmed()) {
                continue;
            }
            for (int i = 0; i < published.size(); i++) {
                PublishedMessage message = published.get(i);
                if (message.onlySubscriptions() != null && !message.onlySubscriptions().contains(subscription.id())) {
                    continue;
                }
                if (services.filters().accepts(subscription, message.messageFor(subscription.structureKey()),
                        message.attributes())) {
                    targets.computeIfAbsent(subscription, key -> new ArrayList<>()).add(i);
                } else {
                    services.health().counts().filteredOut(topic.name(), subscription.protocol());
                }
            }
        }
        return targets;
    }

    /**
     * What a subscription's batch came to: the indexes that failed (to be retried), and the failure that sent the
     * copies to the subscription's dead-letter queue instead of its queue (null when they reached their queue).
     */
    private record Sent(List<Integer> failed, Throwable deadLetteredBecause) {
    }

    /** Sends the copies for one subscription in one batch (to its dead-letter queue when its queue is gone). */
    private CompletableFuture<Sent> send(Subscription subscription, List<PublishedMessage> published,
            List<Integer> indexes) {
        // A push subscription's delivery queue is ours; an sqs subscription's queue is one a tenant named.
        QueueClient queues = subscription.push() ? services.queueClient() : services.subscriberQueues();
        String url = subscription.push() ? services.internalQueues().deliveryUrl(subscription)
                : services.internalQueues().urlOfArn(subscription.endpoint()).orElseThrow();
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int index : indexes) {
            entries.add(services.copies().copy(topic, subscription, published.get(index), "m" + index));
        }
        // An sqs subscription's copies are billed by the apply that stores them, once the cluster knows how.
        CompletableFuture<Boolean> inLog = subscription.push() ? CompletableFuture.completedFuture(false)
                : services.usage().billedInLog();
        return inLog.thenCompose(billed -> sendCopies(subscription, queues, url, published, indexes, entries,
                billed ? topicOwner() : null));
    }

    private CompletableFuture<Sent> sendCopies(Subscription subscription, QueueClient queues, String url,
            List<PublishedMessage> published, List<Integer> indexes, List<SendMessageBatchRequestEntry> entries,
            String billedTo) {
        return stillAllowed(subscription, url).thenCompose(allowed -> queues.sendMessageBatch(
                        new SendMessageBatchRequest(url, entries, billedTo)))
                .thenApply(response -> {
                    if (!subscription.push() && billedTo == null) {
                        billDeliveries(subscription, entries, response);
                    }
                    return new Sent(failedIndexes(response), null);
                })
                .exceptionallyCompose(failure -> toDeadLetterQueue(subscription, entries, deadLettered(subscription,
                        published, indexes, failure), billedTo, failure));
    }

    /**
     * Completes when the topic may send to the subscription's queue: always for its own account's queues and its
     * delivery queues; for another account's queue while that queue's Policy still allows the topic (Subscribe checked
     * it once; its owner may withdraw it). Fails with a refusal the copies are retried after, else.
     */
    private CompletableFuture<Void> stillAllowed(Subscription subscription, String url) {
        if (subscription.push()) {
            return CompletableFuture.completedFuture(null);
        }
        dev.sluice.notify.core.TopicArn topicArn = dev.sluice.notify.core.TopicArn.ofQualified(
                services.config().region(), topic.name(), services.config().accountId());
        String queueAccount = subscription.endpoint().split(":", -1)[4];
        if (queueAccount.equals(topicArn.accountId())) {
            return CompletableFuture.completedFuture(null);
        }
        return services.queuePolicies().stillAllows(url, subscription.endpoint(), queueAccount, topicArn.toString(),
                topicArn.accountId()).thenAccept(allowed -> {
                    if (!allowed) {
                        throw new DeliveryHealth.Refused("the Policy of queue " + subscription.endpoint()
                                + " no longer allows " + topicArn + " to send to it");
                    }
                });
    }

    /**
     * An sqs subscription's copies the subscribed queue took are delivered: billed to the topic's owner (a push
     * subscription's copies are billed when their delivery succeeds, copies sent to a dead-letter queue not at all).
     */
    private void billDeliveries(Subscription subscription, List<SendMessageBatchRequestEntry> entries,
            dev.sluice.clientsdk.model.SendMessageBatchResponse response) {
        Set<String> failed = new TreeSet<>();
        response.failed().forEach(entry -> failed.add(entry.id()));
        String owner = topicOwner();
        for (SendMessageBatchRequestEntry entry : entries) {
            if (!failed.contains(entry.id())) {
                services.usage().delivered(owner, subscription.protocol(), dev.sluice.clientsdk.MessageSize.of(
                        entry.messageBody(), entry.messageAttributes() == null ? Map.of() : entry.messageAttributes()));
            }
        }
    }

    /** The account that owns this topic, who pays for its deliveries. */
    private String topicOwner() {
        return dev.sluice.notify.core.TopicArn.ofQualified(services.config().region(), topic.name(),
                services.config().accountId()).accountId();
    }

    private static List<Integer> failedIndexes(dev.sluice.clientsdk.model.SendMessageBatchResponse response) {
        List<Integer> failed = new ArrayList<>();
        response.failed().forEach(entry -> failed.add(Integer.parseInt(entry.id().substring(1))));
        return failed;
    }

    /**
     * Which of a refused batch's copies go to the subscription's dead-letter queue instead, as SNS does for an sqs
     * subscription: all of them when its queue is gone, else those whose attempts are spent
     * ({@link NotifyConfig#queueDeliveryAttempts}: its owner over a quota, its Policy withdrawn, ...). None without a
     * dead-letter queue, or for a push subscription (its retries are its delivery queue's): they are retried.
     */
    private Set<Integer> deadLettered(Subscription subscription, List<PublishedMessage> published, List<Integer> indexes,
            Throwable failure) {
        Set<Integer> spent = new TreeSet<>();
        if (subscription.push() || subscription.deadLetterTargetArn().isEmpty()) {
            return spent;
        }
        boolean missing = InternalQueues.isMissingQueue(failure);
        for (int index : indexes) {
            if (missing || published.get(index).attempts() + 1 >= services.config().queueDeliveryAttempts()) {
                spent.add(index);
            }
        }
        return spent;
    }

    /**
     * Sends the {@code deadLettered} copies to the subscription's dead-letter queue; the others stay failed (retried).
     * Without any to send, the failure stands and every copy is retried. With {@code billedTo}, each copy the
     * dead-letter queue stores is billed to it as a delivery, as SNS bills them.
     */
    private CompletableFuture<Sent> toDeadLetterQueue(Subscription subscription,
            List<SendMessageBatchRequestEntry> entries, Set<Integer> deadLettered, String billedTo, Throwable failure) {
        java.util.Optional<String> deadLetters = deadLettered.isEmpty() ? java.util.Optional.empty()
                : subscription.deadLetterTargetArn().flatMap(arn -> services.internalQueues().urlOfArn(arn));
        if (deadLetters.isEmpty()) {
            return CompletableFuture.failedFuture(failure);
        }
        boolean fifo = deadLetters.get().endsWith(".fifo");
        List<Integer> retried = new ArrayList<>();
        List<SendMessageBatchRequestEntry> moved = new ArrayList<>();
        for (SendMessageBatchRequestEntry entry : entries) {
            int index = Integer.parseInt(entry.id().substring(1));
            if (!deadLettered.contains(index)) {
                retried.add(index);
                continue;
            }
            moved.add(new SendMessageBatchRequestEntry(entry.id(), entry.messageBody(), null, entry.messageAttributes(),
                    Map.of(), fifo ? entry.messageDeduplicationId() : null, fifo ? entry.messageGroupId() : null));
        }
        return services.subscriberQueues().sendMessageBatch(new SendMessageBatchRequest(deadLetters.get(), moved, billedTo))
                .thenApply(response -> {
                    services.health().counts().deadLettered(topic.name(), subscription.protocol(),
                            moved.size() - response.failed().size());
                    List<Integer> failed = new ArrayList<>(retried);
                    failed.addAll(failedIndexes(response));
                    return new Sent(failed, failure);
                });
    }

    private CompletableFuture<Void> finish(List<Message> messages, List<PublishedMessage> published,
            List<Set<String>> failedByMessage) {
        if (topic.fifo()) {
            return finishFifo(messages, published, failedByMessage);
        }
        List<CompletableFuture<?>> remainders = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!failedByMessage.get(i).isEmpty()) {
                PublishedMessage remainder = published.get(i).retryFor(List.copyOf(failedByMessage.get(i)));
                remainders.add(services.queueClient().sendMessage(new SendMessageRequest(
                        services.internalQueues().outboxUrl(topic), remainder.toJson(),
                        retryDelaySeconds(published.get(i)),
                        Map.<String, MessageAttributeValue>of(), Map.of(), null, null)));
            }
        }
        return CompletableFuture.allOf(remainders.toArray(CompletableFuture[]::new)).thenCompose(sent -> {
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                deletes.add(new DeleteMessageBatchRequestEntry("d" + i, messages.get(i).receiptHandle()));
            }
            return delete(deletes);
        });
    }

    /**
     * The wait before fanning {@code message} out again once this attempt failed: SNS's delivery policy for queues and
     * functions (3 retries at once, 2 a second apart, 10 backing off to 20 s, then every 20 s), in whole seconds as a
     * SendMessage delay takes it.
     */
    private static int retryDelaySeconds(PublishedMessage message) {
        long millis = DeliveryPolicy.SQS_DEFAULT.delayBeforeRetry(message.attempts() + 1).toMillis();
        return (int) Math.min(DeliveryPolicy.SQS_DEFAULT.maxDelayTargetSeconds(), (millis + 999) / 1000);
    }

    /**
     * FIFO topics keep order per group across every subscriber, so nothing is re-queued behind later
     * messages: a group with any failed copy keeps all its messages in the outbox (the group stays locked
     * until their visibility runs out, then they are fanned out again, deduplicated by the FIFO subscribers).
     */
    private CompletableFuture<Void> finishFifo(List<Message> messages, List<PublishedMessage> published,
            List<Set<String>> failedByMessage) {
        Set<String> failedGroups = new TreeSet<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!failedByMessage.get(i).isEmpty()) {
                failedGroups.add(published.get(i).groupId());
            }
        }
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!failedGroups.contains(published.get(i).groupId())) {
                deletes.add(new DeleteMessageBatchRequestEntry("d" + i, messages.get(i).receiptHandle()));
            }
        }
        return deletes.isEmpty() ? CompletableFuture.completedFuture(null) : delete(deletes);
    }

    private CompletableFuture<Void> delete(List<DeleteMessageBatchRequestEntry> deletes) {
        return services.queueClient().deleteMessageBatch(new DeleteMessageBatchRequest(
                services.internalQueues().outboxUrl(topic), deletes)).thenApply(deleted -> null);
    }
}
