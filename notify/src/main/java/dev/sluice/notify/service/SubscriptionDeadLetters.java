package dev.sluice.notify.service;

import dev.sluice.clientsdk.model.SendMessageBatchRequest;
import dev.sluice.clientsdk.model.SendMessageBatchRequestEntry;
import dev.sluice.notify.core.PublishedMessage;
import dev.sluice.notify.core.Subscription;
import dev.sluice.notify.core.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Where fanout gives up on an sqs subscription's copies, as SNS does: a copy the subscribed queue refused goes to the
 * subscription's RedrivePolicy dead-letter queue at once when that queue is gone, else once its attempts
 * ({@link NotifyConfig#queueDeliveryAttempts}) are spent; until then, and without a dead-letter queue, it is retried
 * (a standard topic's for ever; a FIFO topic's until its held group nears the outbox's retention, see
 * {@link FifoOutboxAge}, when it counts as spent and, without a dead-letter queue, is abandoned as SNS discards it).
 * The same for a wholly and a partly refused batch, for standard and FIFO topics (a FIFO topic's copies keep their
 * group and deduplication ids, so its FIFO dead-letter queue keeps each group's order). Called by a topic's fanout
 * workers on whichever thread completes their sends; holds no state of its own.
 */
final class SubscriptionDeadLetters {
    private final Topic topic;
    private final NotifyServices services;

    SubscriptionDeadLetters(Topic topic, NotifyServices services) {
        this.topic = topic;
        this.services = services;
    }

    /**
     * What one subscription's batch came to.
     *
     * @param retried the indexes of copies neither queue took: the fanout retries them
     * @param deadLettered the indexes of copies the dead-letter queue took instead of the subscribed queue
     * @param abandoned the indexes of a FIFO topic's copies given up on without a dead-letter queue to take them,
     *     before the outbox's retention would drop their group (see {@link FifoOutboxAge})
     * @param cause why copies did not reach the subscribed queue; null when every copy did
     */
    record Outcome(List<Integer> retried, List<Integer> deadLettered, List<Integer> abandoned, Throwable cause) {
        static final Outcome DELIVERED = new Outcome(List.of(), List.of(), null);

        Outcome {
            retried = List.copyOf(retried);
            deadLettered = List.copyOf(deadLettered);
            abandoned = List.copyOf(abandoned);
        }

        Outcome(List<Integer> retried, List<Integer> deadLettered, Throwable cause) {
            this(retried, deadLettered, List.of(), cause);
        }

        /** This outcome and a later batch's of the same subscription: the first cause stands. */
        Outcome and(Outcome later) {
            return new Outcome(joined(retried, later.retried), joined(deadLettered, later.deadLettered),
                    joined(abandoned, later.abandoned), cause != null ? cause : later.cause);
        }

        /** The copies that did not reach the subscribed queue. */
        List<Integer> undelivered() {
            return joined(joined(retried, deadLettered), abandoned);
        }

        private static List<Integer> joined(List<Integer> first, List<Integer> second) {
            List<Integer> all = new ArrayList<>(first);
            all.addAll(second);
            return all;
        }
    }

    /**
     * Which of the refused copies at {@code indexes} are due for the dead-letter queue: all when the subscribed queue is
     * gone, else those whose attempts are spent. None without a dead-letter queue, or for a push subscription (its
     * retries are its delivery queue's).
     */
    Set<Integer> due(Subscription subscription, List<PublishedMessage> published, List<Integer> indexes,
            boolean queueMissing) {
        Set<Integer> due = new TreeSet<>();
        if (subscription.push() || subscription.deadLetterTargetArn().isEmpty()) {
            return due;
        }
        for (int index : indexes) {
            if (queueMissing || published.get(index).attempts() + 1 >= services.config().queueDeliveryAttempts()) {
                due.add(index);
            }
        }
        return due;
    }

    /** Whether fanout can give the subscription's copies up to a dead-letter queue: an sqs one's that exists. */
    boolean takesCopies(Subscription subscription) {
        return !subscription.push() && urlOf(subscription).isPresent();
    }

    /** The URL of the subscription's dead-letter queue, empty without one. */
    Optional<String> urlOf(Subscription subscription) {
        return subscription.deadLetterTargetArn().flatMap(arn -> services.internalQueues().urlOfArn(arn));
    }

    /**
     * Sends the {@code due} ones of the {@code refused} copies to the subscription's dead-letter queue; the others, and
     * any the dead-letter queue refuses too (or a failed send to it), are retried. With {@code billedTo}, each copy the
     * dead-letter queue stores is billed to it as a delivery, as SNS bills them. Never completes exceptionally.
     */
    CompletableFuture<Outcome> send(Subscription subscription, List<SendMessageBatchRequestEntry> refused,
            Set<Integer> due, String billedTo, Throwable cause) {
        List<Integer> retried = new ArrayList<>();
        List<SendMessageBatchRequestEntry> moved = new ArrayList<>();
        Optional<String> deadLetters = due.isEmpty() ? Optional.empty() : urlOf(subscription);
        boolean fifo = deadLetters.map(url -> url.endsWith(".fifo")).orElse(false);
        for (SendMessageBatchRequestEntry entry : refused) {
            if (deadLetters.isEmpty() || !due.contains(indexOf(entry.id()))) {
                retried.add(indexOf(entry.id()));
                continue;
            }
            moved.add(new SendMessageBatchRequestEntry(entry.id(), entry.messageBody(), null, entry.messageAttributes(),
                    Map.of(), fifo ? entry.messageDeduplicationId() : null, fifo ? entry.messageGroupId() : null));
        }
        if (moved.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome(retried, List.of(), cause));
        }
        return services.subscriberQueues().sendMessageBatch(new SendMessageBatchRequest(deadLetters.get(), moved, billedTo))
                .thenApply(response -> {
                    Set<String> failed = new TreeSet<>();
                    response.failed().forEach(entry -> failed.add(entry.id()));
                    List<Integer> stillRetried = new ArrayList<>(retried);
                    List<Integer> stored = new ArrayList<>();
                    for (SendMessageBatchRequestEntry entry : moved) {
                        (failed.contains(entry.id()) ? stillRetried : stored).add(indexOf(entry.id()));
                    }
                    services.health().counts().deadLettered(topic.name(), subscription.protocol(), stored.size());
                    return new Outcome(stillRetried, stored, cause);
                })
                .exceptionally(failure -> {
                    List<Integer> allRetried = new ArrayList<>(retried);
                    moved.forEach(entry -> allRetried.add(indexOf(entry.id())));
                    return new Outcome(allRetried, List.of(), cause);
                });
    }

    /** The index into the fanned-out messages that a copy's batch entry id ({@code m<index>}) names. */
    static int indexOf(String entryId) {
        return Integer.parseInt(entryId.substring(1));
    }
}
