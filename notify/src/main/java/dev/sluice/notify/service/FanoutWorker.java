package dev.sluice.notify.service;

import dev.sluice.clientsdk.QueueClient;
import dev.sluice.clientsdk.model.ChangeMessageVisibilityBatchRequest;
import dev.sluice.clientsdk.model.ChangeMessageVisibilityBatchRequestEntry;
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
 * of a remainder's original may itself fail. Runs on every node; receives are what divide the work. In one log entry
 * (feature level 4, standard topics) every node reads the outbox ({@link OutboxFanout#ready}); the node that leads its
 * data group proposes at once, the others only what is still there a grace period later ({@link LeaderFirstReads}), so
 * in the normal case one node proposes each batch and no node's pollers are needed for another's to go on.
 */
final class FanoutWorker extends QueuePoller {
    private static final Logger LOG = LoggerFactory.getLogger(FanoutWorker.class);
    private static final int WAIT_SECONDS = 20;
    /** Outbox messages one fanout round takes at most (a receive's most). */
    private static final int BATCH = 10;
    private static final long ERROR_PAUSE_MILLIS = 1000;
    private static final String RECEIVE_COUNT = "ApproximateReceiveCount";
    private static final String SENT_TIMESTAMP = "SentTimestamp";

    private final Topic topic;
    private final NotifyServices services;
    /** The topic's subscriptions, shared with its other pollers on this node. */
    private final TopicSubscriptions subscriptions;
    /** Touched only by this worker's loop, one poll at a time. */
    private final RepeatedFailure loopFailure;
    private final SubscriptionDeadLetters deadLetters;
    /** A FIFO topic's held messages and whom they still owe, shared with its other pollers on this node. */
    private final HeldFifoCopies held;
    /** The outbox messages the topic's pollers on this node are fanning out in one entry now. */
    private final OutboxClaims claims;
    private final LeaderFirstReads reads;

    FanoutWorker(Topic topic, NotifyServices services, TopicSubscriptions subscriptions, HeldFifoCopies held,
            OutboxClaims claims) {
        this.topic = topic;
        this.claims = claims;
        this.reads = new LeaderFirstReads(services.fanout(), services.timers(), services.clock());
        this.services = services;
        this.subscriptions = subscriptions;
        this.held = held;
        this.loopFailure = new RepeatedFailure(services.clock());
        this.deadLetters = new SubscriptionDeadLetters(topic, services);
    }

    @Override
    void poll() {
        if (stopped()) {
            return;
        }
        // A FIFO topic keeps its receive loop: its held groups and their owed copies live with the receives.
        CompletableFuture<Boolean> inOneApply = topic.fifo() ? CompletableFuture.completedFuture(false)
                : track(services.fanout().inOneApply());
        inOneApply.thenCompose(oneApply -> oneApply ? oneApplyRound() : receiveRound(WAIT_SECONDS))
                .whenComplete((done, failure) -> {
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

    /** One round of the receive loop: a long-poll receive of the outbox, its copies sent, the outbox messages deleted. */
    private CompletableFuture<Void> receiveRound(int waitSeconds) {
        // A FIFO topic's failed group stays in the outbox and is received again: its receive count counts the attempts,
        // its sent time tells how near the outbox's retention it is. A standard topic's remainder a fan-out apply stored
        // names whom it still owes in an attribute.
        List<String> systemAttributes = topic.fifo() ? List.of(RECEIVE_COUNT, SENT_TIMESTAMP) : List.of();
        List<String> attributes = topic.fifo() ? List.of()
                : List.of(dev.sluice.clientsdk.ReservedQueueNames.RETRY_FOR_ATTRIBUTE);
        return track(services.queueClient().receiveMessage(new ReceiveMessageRequest(
                        services.internalQueues().outboxUrl(topic), List.of(), systemAttributes, attributes, BATCH, null,
                        waitSeconds, null)))
                .thenCompose(response -> fanOut(response.messages()));
    }

    /**
     * One round in one log entry ({@link OutboxFanout}): the outbox's ready messages read, their copies built as the
     * receive loop builds them, and handed over in one fan-out command. What that command cannot express goes through
     * one receive round instead: remainders of refused copies (their dead-letter rules live in the receive loop), copies
     * for another account's queue (its Policy is checked before each send), items the engine left.
     */
    private CompletableFuture<Void> oneApplyRound() {
        String outbox = services.internalQueues().outboxUrl(topic);
        // Read enough for every poller of the topic here to claim a batch of its own: their commands then go together.
        int reading = BATCH * Math.max(1, services.config().fanoutPollersPerTopic());
        return track(reads.ready(outbox, reading, WAIT_SECONDS)).thenCompose(ready -> {
            if (ready.receiveInstead() || ready.messages().stream().anyMatch(message -> message.attributes()
                    .containsKey(dev.sluice.clientsdk.ReservedQueueNames.RETRY_FOR_ATTRIBUTE))) {
                return receiveRound(0);
            }
            if (ready.messages().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> siblingDone = claims.nextRelease();
            List<OutboxFanout.OutboxMessage> mine = claims.claim(ready.messages(), BATCH);
            if (mine.isEmpty()) {
                // A sibling on this node is fanning these out: read again once it is done.
                return siblingDone;
            }
            return this.subscriptions.current().thenCompose(subscriptions -> {
                String owner = topicOwner();
                if (subscriptions.stream().anyMatch(subscription -> subscription.confirmed() && !subscription.push()
                        && !subscription.endpoint().split(":", -1)[4].equals(owner))) {
                    return receiveRound(0);
                }
                return fanOutInOneApply(outbox, mine, subscriptions);
            }).whenComplete((done, failure) -> claims.release(mine));
        });
    }

    private CompletableFuture<Void> fanOutInOneApply(String outbox, List<OutboxFanout.OutboxMessage> messages,
            List<Subscription> subscriptions) {
        List<PublishedMessage> published = messages.stream()
                .map(message -> PublishedMessage.fromJson(message.body())).toList();
        // Counted once the fan-out took the message: a sibling poller that read it too counts nothing.
        List<Map.Entry<Subscription, Integer>> filtered = new ArrayList<>();
        Map<Subscription, List<Integer>> targets = targets(published, subscriptions,
                (subscription, index) -> filtered.add(Map.entry(subscription, index)));
        List<OutboxFanout.Item> items = new ArrayList<>();
        List<List<Subscription>> copiedFor = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            List<OutboxFanout.Copy> copies = new ArrayList<>();
            List<Subscription> whose = new ArrayList<>();
            for (Map.Entry<Subscription, List<Integer>> target : targets.entrySet()) {
                if (target.getValue().contains(i)) {
                    Subscription subscription = target.getKey();
                    copies.add(new OutboxFanout.Copy(subscription.id(), queueArnOf(subscription), !subscription.push(),
                            services.copies().copy(topic, subscription, published.get(i), "m" + i)));
                    whose.add(subscription);
                }
            }
            PublishedMessage message = published.get(i);
            items.add(new OutboxFanout.Item(messages.get(i).seq(), message.attempts() + 1, retryDelaySeconds(message),
                    copies));
            copiedFor.add(whose);
        }
        return track(services.fanout().fanOut(outbox, topicOwner(), items)).thenCompose(results -> {
            boolean left = false;
            Map<Subscription, List<Integer>> taken = new LinkedHashMap<>();
            Map<Subscription, List<Integer>> refused = new LinkedHashMap<>();
            Map<Subscription, dev.sluice.clientsdk.SqsException> refusal = new LinkedHashMap<>();
            for (Map.Entry<Subscription, Integer> filteredOut : filtered) {
                if (results.get(filteredOut.getValue()).status() == OutboxFanout.Status.TAKEN) {
                    services.health().counts().filteredOut(topic.name(), filteredOut.getKey().protocol());
                }
            }
            for (int i = 0; i < results.size(); i++) {
                OutboxFanout.ItemResult result = results.get(i);
                left |= result.status() == OutboxFanout.Status.LEFT;
                if (result.status() != OutboxFanout.Status.TAKEN) {
                    continue;
                }
                for (int c = 0; c < copiedFor.get(i).size(); c++) {
                    Subscription subscription = copiedFor.get(i).get(c);
                    taken.computeIfAbsent(subscription, key -> new ArrayList<>()).add(i);
                    if (result.refusals().get(c) != null) {
                        refused.computeIfAbsent(subscription, key -> new ArrayList<>()).add(i);
                        refusal.putIfAbsent(subscription, result.refusals().get(c));
                    }
                }
            }
            taken.forEach((subscription, indexes) -> {
                List<Integer> retried = refused.getOrDefault(subscription, List.of());
                // As the receive loop tells it: a send refused whole by its error, one refused in part by the count.
                Throwable cause = retried.size() == indexes.size() ? refusal.get(subscription)
                        : new DeliveryHealth.Refused("the queue refused " + retried.size() + " of " + indexes.size()
                                + " messages (" + (refusal.containsKey(subscription)
                                        ? refusal.get(subscription).error().code() : "") + ")");
                counted(subscription, published, indexes, retried.isEmpty() ? SubscriptionDeadLetters.Outcome.DELIVERED
                        : new SubscriptionDeadLetters.Outcome(retried, List.of(), cause));
            });
            return left ? receiveRound(0) : CompletableFuture.completedFuture(null);
        });
    }

    /** The ARN of the queue a subscription's copies go to: its subscribed queue, or a push subscription's delivery queue. */
    private String queueArnOf(Subscription subscription) {
        if (!subscription.push()) {
            return subscription.endpoint();
        }
        return dev.sluice.clientsdk.QueueUrl.parse(services.internalQueues().deliveryUrl(subscription)).orElseThrow()
                .toArn(services.config().region());
    }

    private CompletableFuture<Void> fanOut(List<Message> messages) {
        if (messages.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return this.subscriptions.current().thenCompose(subscriptions -> {
            java.time.Instant now = services.clock().instant();
            List<FifoOutboxAge> ages = messages.stream().map(message -> topic.fifo()
                    ? FifoOutboxAge.of(message.attributes().get(SENT_TIMESTAMP), now) : FifoOutboxAge.YOUNG).toList();
            List<PublishedMessage> published = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                published.add(published(messages.get(i), ages.get(i)));
            }
            Map<Subscription, List<Integer>> targets = targets(published, subscriptions);
            List<Set<String>> failedByMessage = new ArrayList<>();
            published.forEach(message -> failedByMessage.add(new TreeSet<>()));
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            targets.forEach((subscription, indexes) -> sends.add(send(subscription, published, ages, indexes)
                    .handle((sent, failure) -> {
                        SubscriptionDeadLetters.Outcome outcome = failure != null
                                ? new SubscriptionDeadLetters.Outcome(indexes, List.of(), failure) : sent;
                        synchronized (failedByMessage) {
                            outcome.retried().forEach(index -> failedByMessage.get(index).add(subscription.id()));
                        }
                        counted(subscription, published, indexes, outcome);
                        return null;
                    })));
            return Futures.all(sends).thenCompose(done -> finish(messages, published, failedByMessage));
        });
    }

    /**
     * Counts what one subscription's batch came to and tells the subscription's health. Copies put in the dead-letter
     * queue instead were not delivered: their attempt failed, and they have no retry.
     */
    private void counted(Subscription subscription, List<PublishedMessage> published, List<Integer> indexes,
            SubscriptionDeadLetters.Outcome outcome) {
        NotificationCounts counts = services.health().counts();
        List<Integer> undelivered = outcome.undelivered();
        counts.failed(topic.name(), subscription.protocol(), undelivered.size());
        counts.delivered(topic.name(), subscription.protocol(), indexes.size() - undelivered.size());
        latencies(subscription, published, indexes, undelivered);
        if (outcome.cause() == null) {
            services.health().delivered(subscription);
            return;
        }
        // The retried copies come back as SNS's policy for queues says (a remainder in the outbox, or a FIFO group).
        java.time.Duration retryIn = java.time.Duration.ofSeconds(outcome.retried().isEmpty() ? 0
                : retryDelaySeconds(published.get(outcome.retried().get(0))));
        String deadLettered = outcome.deadLettered().isEmpty() ? ""
                : outcome.deadLettered().size() == indexes.size()
                        ? "; its copies went to the subscription's dead-letter queue"
                        : "; " + outcome.deadLettered().size() + " of its " + indexes.size()
                                + " copies went to the subscription's dead-letter queue";
        String abandoned = outcome.abandoned().isEmpty() ? ""
                : "; " + outcome.abandoned().size() + " of its copies were abandoned (held until near the outbox's"
                        + " retention, no dead-letter queue took them)";
        services.health().failed(subscription, DeliveryHealth.describe(subscription, outcome.cause()) + deadLettered
                + abandoned, retryIn);
    }

    /**
     * The outbox message as fanout tries it now. A FIFO topic's message is never re-queued as a remainder: it stays in
     * the outbox and is received again, so its receive count, less this receive, is the attempts made before, and the
     * subscriptions it still owes are those this node remembers (else every matching one). Near the outbox's retention
     * ({@link FifoOutboxAge}) its attempts count as spent.
     */
    private PublishedMessage published(Message message, FifoOutboxAge age) {
        PublishedMessage published = PublishedMessage.fromJson(message.body());
        if (!topic.fifo()) {
            return remainderOf(published, message.messageAttributes());
        }
        PublishedMessage owing = held.owedBy(message.messageId()).map(published::owedTo).orElse(published);
        if (age != FifoOutboxAge.YOUNG) {
            return owing.afterAttempts(Math.max(owing.attempts(), services.config().queueDeliveryAttempts() - 1));
        }
        try {
            String receiveCount = message.attributes().get(RECEIVE_COUNT);
            return receiveCount == null ? owing
                    : owing.afterAttempts(Math.max(owing.attempts(), Integer.parseInt(receiveCount) - 1));
        } catch (NumberFormatException e) {
            return owing;
        }
    }

    /**
     * A standard topic's outbox message as a fan-out apply put it back ({@code Sluice.RetryFor}: the attempts made, the
     * subscriptions whose copies were refused), or the message as it is.
     */
    private static PublishedMessage remainderOf(PublishedMessage published,
            Map<String, MessageAttributeValue> attributes) {
        MessageAttributeValue retryFor = attributes == null ? null
                : attributes.get(dev.sluice.clientsdk.ReservedQueueNames.RETRY_FOR_ATTRIBUTE);
        String value = retryFor == null ? null : retryFor.stringValue();
        int space = value == null ? -1 : value.indexOf(' ');
        if (space < 1) {
            return published;
        }
        try {
            int attempts = Integer.parseInt(value.substring(0, space));
            return published.owedTo(List.of(value.substring(space + 1).split(","))).afterAttempts(attempts);
        } catch (NumberFormatException e) {
            return published;
        }
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
        return targets(published, subscriptions, (subscription, index) ->
                services.health().counts().filteredOut(topic.name(), subscription.protocol()));
    }

    /** The messages (by index) each confirmed subscription is owed a copy of; {@code filteredOut} told of the others. */
    private Map<Subscription, List<Integer>> targets(List<PublishedMessage> published, List<Subscription> subscriptions,
            java.util.function.ObjIntConsumer<Subscription> filteredOut) {
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
                    filteredOut.accept(subscription, i);
                }
            }
        }
        return targets;
    }

    /**
     * Sends the copies for one subscription: a standard topic's in one batch; a FIFO topic's in rounds that hold at
     * most one message of each group (round i: the i-th message of each group still going, so many groups still go in
     * one batch), a group stopping at its first copy to retry. A later message of a group is so never stored before an
     * earlier one the queue refused; it stays owed with the refused one. Never completes exceptionally.
     */
    private CompletableFuture<SubscriptionDeadLetters.Outcome> send(Subscription subscription,
            List<PublishedMessage> published, List<FifoOutboxAge> ages, List<Integer> indexes) {
        if (!topic.fifo()) {
            return sendBatch(subscription, published, indexes);
        }
        Map<String, java.util.ArrayDeque<Integer>> groups = new LinkedHashMap<>();
        for (int index : indexes) {
            groups.computeIfAbsent(published.get(index).groupId(), group -> new java.util.ArrayDeque<>()).add(index);
        }
        return sendRounds(subscription, published, ages, groups, SubscriptionDeadLetters.Outcome.DELIVERED);
    }

    /** Sends the next round of {@code groups} (the indexes each still has to go, in order) and the rounds after it. */
    private CompletableFuture<SubscriptionDeadLetters.Outcome> sendRounds(Subscription subscription,
            List<PublishedMessage> published, List<FifoOutboxAge> ages,
            Map<String, java.util.ArrayDeque<Integer>> groups, SubscriptionDeadLetters.Outcome sofar) {
        List<Integer> round = new ArrayList<>();
        groups.values().forEach(group -> round.add(group.poll()));
        groups.values().removeIf(java.util.ArrayDeque::isEmpty);
        if (round.isEmpty()) {
            return CompletableFuture.completedFuture(sofar);
        }
        return sendBatch(subscription, published, round).thenCompose(sent -> {
            SubscriptionDeadLetters.Outcome outcome = abandonedNearRetention(subscription, published, ages, sent);
            List<Integer> owed = new ArrayList<>(outcome.retried());
            for (int index : outcome.retried()) {
                java.util.ArrayDeque<Integer> rest = groups.remove(published.get(index).groupId());
                if (rest != null) {
                    owed.addAll(rest);
                }
            }
            return sendRounds(subscription, published, ages, groups, sofar.and(new SubscriptionDeadLetters.Outcome(
                    owed, outcome.deadLettered(), outcome.abandoned(), outcome.cause())));
        });
    }

    /**
     * A FIFO topic's retried copies that may wait no longer ({@link FifoOutboxAge}) are abandoned, so that the outbox
     * does not drop their group's later messages with them: near the retention when no dead-letter queue can take them,
     * in its last hour in any case. Logged one by one; SNS discards such deliveries too.
     */
    private SubscriptionDeadLetters.Outcome abandonedNearRetention(Subscription subscription,
            List<PublishedMessage> published, List<FifoOutboxAge> ages, SubscriptionDeadLetters.Outcome outcome) {
        boolean deadLetterQueue = deadLetters.takesCopies(subscription);
        List<Integer> retried = new ArrayList<>();
        List<Integer> abandoned = new ArrayList<>();
        for (int index : outcome.retried()) {
            FifoOutboxAge age = ages.get(index);
            boolean giveUp = age == FifoOutboxAge.LAST_CHANCE || (age == FifoOutboxAge.GIVE_UP && !deadLetterQueue);
            (giveUp ? abandoned : retried).add(index);
            if (giveUp) {
                LOG.warn("topic {}: abandoned the copy of message {} for subscription {} ({}): refused until near the"
                        + " outbox's retention of its held group, and no dead-letter queue took it",
                        topic.name(), published.get(index).messageId(), subscription.id(), subscription.endpoint());
            }
        }
        List<Integer> allAbandoned = new ArrayList<>(outcome.abandoned());
        allAbandoned.addAll(abandoned);
        return new SubscriptionDeadLetters.Outcome(retried, outcome.deadLettered(), allAbandoned, outcome.cause());
    }

    /**
     * Sends copies for one subscription in one batch; those its queue refuses for good go to its dead-letter queue.
     * A failed send comes back as every copy retried. Never completes exceptionally.
     */
    private CompletableFuture<SubscriptionDeadLetters.Outcome> sendBatch(Subscription subscription,
            List<PublishedMessage> published, List<Integer> indexes) {
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
                billed ? topicOwner() : null))
                .handle((sent, failure) -> failure != null
                        ? new SubscriptionDeadLetters.Outcome(indexes, List.of(), failure) : sent);
    }

    private CompletableFuture<SubscriptionDeadLetters.Outcome> sendCopies(Subscription subscription, QueueClient queues,
            String url, List<PublishedMessage> published, List<Integer> indexes,
            List<SendMessageBatchRequestEntry> entries, String billedTo) {
        return stillAllowed(subscription, url).thenCompose(allowed -> queues.sendMessageBatch(
                        new SendMessageBatchRequest(url, entries, billedTo)))
                .thenCompose(response -> {
                    if (!subscription.push() && billedTo == null) {
                        billDeliveries(subscription, entries, response);
                    }
                    return partlyRefused(subscription, published, entries, response, billedTo);
                })
                .exceptionallyCompose(failure -> {
                    java.util.Set<Integer> due = deadLetters.due(subscription, published, indexes,
                            InternalQueues.isMissingQueue(failure));
                    return due.isEmpty() || deadLetters.urlOf(subscription).isEmpty()
                            ? CompletableFuture.failedFuture(failure)
                            : deadLetters.send(subscription, entries, due, billedTo, failure);
                });
    }

    /**
     * The copies of a batch the queue took in part: the refused entries follow the rule of a wholly refused batch
     * (retried until their attempts are spent, then to the dead-letter queue); the stored ones are delivered.
     */
    private CompletableFuture<SubscriptionDeadLetters.Outcome> partlyRefused(Subscription subscription,
            List<PublishedMessage> published, List<SendMessageBatchRequestEntry> entries,
            dev.sluice.clientsdk.model.SendMessageBatchResponse response, String billedTo) {
        if (response.failed().isEmpty()) {
            return CompletableFuture.completedFuture(SubscriptionDeadLetters.Outcome.DELIVERED);
        }
        List<Integer> refused = failedIndexes(response);
        List<SendMessageBatchRequestEntry> refusedEntries = entries.stream()
                .filter(entry -> refused.contains(SubscriptionDeadLetters.indexOf(entry.id()))).toList();
        Throwable cause = new DeliveryHealth.Refused("the queue refused " + refused.size() + " of " + entries.size()
                + " messages (" + response.failed().get(0).code() + ")");
        return deadLetters.send(subscription, refusedEntries, deadLetters.due(subscription, published, refused, false),
                billedTo, cause);
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
        response.failed().forEach(entry -> failed.add(SubscriptionDeadLetters.indexOf(entry.id())));
        return failed;
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
     * FIFO topics keep order per group across every subscriber, so nothing is re-queued behind later messages: a group
     * with any copy to retry keeps all its messages in the outbox, due again as SNS's policy for queues says (their
     * visibility is set to the retry's wait; they are fanned out again whole, deduplicated by the FIFO subscribers, and
     * their receive count is their attempt count; this node remembers whom they still owe, so a retry sends only those
     * copies). Copies given up on into a dead-letter queue, or abandoned near the outbox's retention
     * ({@link FifoOutboxAge}), hold no group: so the retention never drops a held group's acknowledged messages.
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
        List<ChangeMessageVisibilityBatchRequestEntry> retries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (!failedGroups.contains(published.get(i).groupId())) {
                held.released(messages.get(i).messageId());
                deletes.add(new DeleteMessageBatchRequestEntry("d" + i, messages.get(i).receiptHandle()));
            } else {
                held.held(messages.get(i).messageId(), failedByMessage.get(i));
                retries.add(new ChangeMessageVisibilityBatchRequestEntry("r" + i, messages.get(i).receiptHandle(),
                        retryDelaySeconds(published.get(i))));
            }
        }
        CompletableFuture<Void> deleted = deletes.isEmpty() ? CompletableFuture.completedFuture(null) : delete(deletes);
        // A change that fails leaves the group to come back when the outbox's visibility timeout runs out.
        CompletableFuture<Void> retried = retries.isEmpty() ? CompletableFuture.completedFuture(null)
                : services.queueClient().changeMessageVisibilityBatch(new ChangeMessageVisibilityBatchRequest(
                        services.internalQueues().outboxUrl(topic), retries)).handle((changed, failure) -> null);
        return CompletableFuture.allOf(deleted, retried);
    }

    private CompletableFuture<Void> delete(List<DeleteMessageBatchRequestEntry> deletes) {
        return services.queueClient().deleteMessageBatch(new DeleteMessageBatchRequest(
                services.internalQueues().outboxUrl(topic), deletes)).thenApply(deleted -> null);
    }
}
