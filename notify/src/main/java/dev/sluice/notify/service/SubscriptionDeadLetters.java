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
 * ({@link NotifyConfig#queueDeliveryAttempts}) are spent; until then, and for ever without a dead-letter queue, it is
 * retried. The same for a wholly and a partly refused batch, for standard and FIFO topics (a FIFO topic's copies keep
 * their group and deduplication ids, so its FIFO dead-letter queue keeps each group's order). Called by a topic's
 * fanout workers on whichever thread completes their sends; holds no state of its own.
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
     * @param cause why copies did not reach the subscribed queue; null when every copy did
     */
    record Outcome(List<Integer> retried, List<Integer> deadLettered, Throwable cause) {
        static final Outcome DELIVERED = new Outcome(List.of(), List.of(), null);

        Outcome {
            retried = List.copyOf(retried);
            deadLettered = List.copyOf(deadLettered);
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
