package dev.sluice.notify.service;

import dev.sluice.clientsdk.model.MessageAttributeValue;
import dev.sluice.clientsdk.model.SendMessageBatchRequestEntry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A topic's fanout in one log entry, where the queue engine offers it: the fanout reads its outbox's ready messages
 * without receiving them ({@link #ready}: a read, no entry), builds every copy as it always does, and hands them over
 * in one command ({@link #fanOut}) whose apply stores the copies, puts refused ones back in the outbox as a remainder, and
 * removes the outbox messages, idempotently per outbox message. Only copies for queues where the outbox is (its data
 * group) go that way: an item with a copy for a queue elsewhere is left ({@link Status#LEFT}) to the receive loop, and
 * so is one too large for one log entry. notify does not
 * know how: the server's composition root implements it. Thread-safe; called from fanout workers.
 */
public interface OutboxFanout {
    /** No fanout in one entry: the fanout receives, sends and deletes. */
    OutboxFanout NONE = new OutboxFanout() {
        @Override
        public CompletableFuture<Boolean> inOneApply() {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public CompletableFuture<Ready> ready(String outboxUrl, int max, int waitSeconds) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("no fanout in one entry"));
        }

        @Override
        public CompletableFuture<List<ItemResult>> fanOut(String outboxUrl, String billedTo, List<Item> items) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("no fanout in one entry"));
        }
    };

    /** Whether every node of the cluster applies a fan-out command; false: the receive, send and delete loop. */
    CompletableFuture<Boolean> inOneApply();

    /**
     * Up to {@code max} ready messages of the outbox, oldest first, waiting up to {@code waitSeconds} for one; nothing
     * about them changes. {@link Ready#receiveInstead}: ready messages are there that this read does not reach.
     * {@link Ready#leaderHere}: whether this node led the outbox's data group when the read was answered.
     */
    CompletableFuture<Ready> ready(String outboxUrl, int max, int waitSeconds);

    /**
     * Moves the items' outbox messages to their copies in one entry; one result per item. {@code billedTo}: the topic's
     * owner, billed for each copy marked billed that is stored.
     */
    CompletableFuture<List<ItemResult>> fanOut(String outboxUrl, String billedTo, List<Item> items);

    /**
     * A ready outbox message: {@code seq} names it to {@link #fanOut}; {@code readySinceMillis} is when it became
     * visible (its send, or a remainder's end of delay), as the leader stamped it.
     */
    record OutboxMessage(long seq, String messageId, String body, Map<String, MessageAttributeValue> attributes,
            long readySinceMillis) {
        public OutboxMessage {
            attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
        }
    }

    /**
     * What {@link #ready} found. {@code leaderHere}: this node led the outbox's data group when it was read, so its
     * fan-out goes first (see {@link LeaderFirstReads}); false also when unsure.
     */
    record Ready(List<OutboxMessage> messages, boolean receiveInstead, boolean leaderHere) {
        public Ready {
            messages = List.copyOf(messages);
        }
    }

    /** One subscription's copy, for the queue of {@code queueArn} (a subscribed queue or a delivery queue). */
    record Copy(String subscriptionId, String queueArn, boolean billed, SendMessageBatchRequestEntry entry) {
        public Copy {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(queueArn, "queueArn");
            Objects.requireNonNull(entry, "entry");
        }
    }

    /**
     * An outbox message and its copies; {@code attempts} counts this one, {@code retryDelaySeconds} is how long a
     * remainder of refused copies waits.
     */
    record Item(long seq, int attempts, int retryDelaySeconds, List<Copy> copies) {
        public Item {
            copies = List.copyOf(copies);
        }
    }

    /** What became of an item. */
    enum Status {
        /** Its copies were stored, refused ones put back in the outbox as a remainder; it left the outbox. */
        TAKEN,
        /** It was no longer there to take (another poller took it): nothing changed. */
        SKIPPED,
        /** Nothing changed: the fanout takes it again by receiving it. */
        LEFT
    }

    /** An item's result: for a taken item, per copy in order, null when stored, else its queue's refusal. */
    record ItemResult(Status status, List<dev.sluice.clientsdk.SqsException> refusals) {
        public ItemResult {
            Objects.requireNonNull(status, "status");
            refusals = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(refusals));
        }
    }
}
