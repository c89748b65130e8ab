package dev.sluice.broker.core;

import java.util.List;
import java.util.Map;

/**
 * Every state change of the queue engine, as it travels through the Raft log. Type ids are an
 * append-only registry: never renumber, never reuse (see {@link QueueCommandType}).
 */
public sealed interface QueueCommand {

    QueueCommandType type();

    /** {@code remoteDeadLetterQueue}: what the router verified of a dead-letter queue in another group, or null. */
    record CreateQueue(String name, Map<String, String> attributes, Map<String, String> tags, RemoteQueue remoteDeadLetterQueue)
            implements QueueCommand {
        public CreateQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
            this(name, attributes, tags, null);
        }

        public QueueCommandType type() {
            return remoteDeadLetterQueue == null ? QueueCommandType.CREATE_QUEUE
                    : QueueCommandType.CREATE_QUEUE_WITH_REMOTE_DEAD_LETTER_QUEUE;
        }
    }

    record DeleteQueue(String name) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.DELETE_QUEUE;
        }
    }

    /** {@code remoteDeadLetterQueue}: what the router verified of a dead-letter queue in another group, or null. */
    record SetAttributes(String name, Map<String, String> attributes, RemoteQueue remoteDeadLetterQueue) implements QueueCommand {
        public SetAttributes(String name, Map<String, String> attributes) {
            this(name, attributes, null);
        }

        public QueueCommandType type() {
            return remoteDeadLetterQueue == null ? QueueCommandType.SET_ATTRIBUTES
                    : QueueCommandType.SET_ATTRIBUTES_WITH_REMOTE_DEAD_LETTER_QUEUE;
        }
    }

    record TagQueue(String name, Map<String, String> tags, int maxTags) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.TAG_QUEUE;
        }
    }

    record UntagQueue(String name, List<String> keys) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.UNTAG_QUEUE;
        }
    }

    /**
     * {@code deliveriesBilledTo} non-null: the entries are copies of SNS notifications for an sqs subscription, and the
     * apply bills each copy it stores (a FIFO duplicate stores nothing) as that account's SNS_DELIVERIES_SQS. Such a
     * send travels as type 25 (feature level 3), so that entries of type 6 keep their format.
     */
    record Send(String name, List<SendEntry> entries, String deliveriesBilledTo) implements QueueCommand {
        public Send(String name, List<SendEntry> entries) {
            this(name, entries, null);
        }

        public QueueCommandType type() {
            return deliveriesBilledTo == null ? QueueCommandType.SEND : QueueCommandType.SEND_SQS_DELIVERIES;
        }
    }

    /**
     * {@code visibilityTimeoutSeconds} null means the queue's default. A receive with a
     * {@code receiveRequestAttemptId} (FIFO queues) travels as type 14, so that entries of type 7
     * keep their format.
     */
    record Receive(String name, int maxMessages, Integer visibilityTimeoutSeconds, String receiveRequestAttemptId)
            implements QueueCommand {
        public Receive(String name, int maxMessages, Integer visibilityTimeoutSeconds) {
            this(name, maxMessages, visibilityTimeoutSeconds, null);
        }

        public QueueCommandType type() {
            return receiveRequestAttemptId == null ? QueueCommandType.RECEIVE : QueueCommandType.RECEIVE_WITH_ATTEMPT;
        }
    }

    /**
     * {@code invocationBilledTo} non-null: the entries are the messages a function invocation handled, and the apply
     * bills that invocation ({@code invocationMillis} long) to that account if the delete removes at least one message.
     * Such a delete travels as type 26 (feature level 3), so that entries of type 8 keep their format.
     */
    record Delete(String name, List<HandleEntry> entries, String invocationBilledTo, long invocationMillis)
            implements QueueCommand {
        public Delete {
            if (invocationBilledTo != null && invocationMillis < 1) {
                throw new IllegalArgumentException("an invocation bills at least 1 ms: " + invocationMillis);
            }
        }

        public Delete(String name, List<HandleEntry> entries) {
            this(name, entries, null, 0);
        }

        public QueueCommandType type() {
            return invocationBilledTo == null ? QueueCommandType.DELETE : QueueCommandType.DELETE_BILLING_INVOCATION;
        }
    }

    record ChangeVisibility(String name, List<VisibilityChange> entries) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.CHANGE_VISIBILITY;
        }
    }

    record Purge(String name) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.PURGE;
        }
    }

    record StartMoveTask(String sourceArn, String destinationArn, Integer maxMessagesPerSecond) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.START_MOVE_TASK;
        }
    }

    /**
     * One bounded step of a move task. {@code upToCount}: the task ends once it has moved the messages it counted at
     * its start (code 23, what the worker proposes); without it, once the queue has nothing receivable (code 12, the
     * first release's meaning, kept for its log entries).
     */
    record StepMoveTask(String handle, int maxMessages, boolean upToCount) implements QueueCommand {
        public QueueCommandType type() {
            return upToCount ? QueueCommandType.STEP_MOVE_TASK_UP_TO_COUNT : QueueCommandType.STEP_MOVE_TASK;
        }
    }

    record CancelMoveTask(String handle) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.CANCEL_MOVE_TASK;
        }
    }

    /**
     * StartMessageMoveTask that may reach other groups: the router verified whether the source is a
     * dead-letter queue of any queue in any group, and what it could of a DestinationArn in another
     * group ({@code remoteDestination}, null when the destination is in the source's group or none).
     */
    record StartMoveTaskAcrossGroups(String sourceArn, String destinationArn, Integer maxMessagesPerSecond,
            RemoteQueue remoteDestination, boolean sourceIsDeadLetterQueue) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.START_MOVE_TASK_ACROSS_GROUPS;
        }
    }

    /** Messages transferred from another group, for this group's queues, in transfer order. */
    record ImportTransfers(List<TransferImport> imports) implements QueueCommand {
        public ImportTransfers {
            imports = List.copyOf(imports);
        }

        public QueueCommandType type() {
            return QueueCommandType.IMPORT_TRANSFERS;
        }
    }

    /** Outbox transfers (by seq) the worker delivered, and those it found no destination queue for. */
    record SettleTransfers(List<Long> delivered, List<Long> returned) implements QueueCommand {
        public SettleTransfers {
            delivered = List.copyOf(delivered);
            returned = List.copyOf(returned);
        }

        public QueueCommandType type() {
            return QueueCommandType.SETTLE_TRANSFERS;
        }
    }

    /** Sets a queue's {@link QueueLayout}; idempotent. */
    record SetQueueLayout(String name, QueueLayout layout) implements QueueCommand {
        public SetQueueLayout {
            if (layout == null) {
                throw new IllegalArgumentException("a layout is required");
            }
        }

        public QueueCommandType type() {
            return QueueCommandType.SET_QUEUE_LAYOUT;
        }
    }

    /** Deletes a queue that holds no message at all; fails (OverLimit) and changes nothing otherwise. */
    record DeleteQueueIfEmpty(String name) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.DELETE_QUEUE_IF_EMPTY;
        }
    }

    /**
     * Usage counted at one node's edge since its previous flush: {@code source} names the node and its run
     * ({@code nodeId/bootId}), {@code sequence} grows by one a flush of that run, so a flush proposed again (its
     * answer lost) is not counted twice.
     */
    record RecordUsage(String source, long sequence, List<UsageRow> rows) implements QueueCommand {
        public RecordUsage {
            java.util.Objects.requireNonNull(source, "source");
            rows = List.copyOf(rows);
        }

        public QueueCommandType type() {
            return QueueCommandType.RECORD_USAGE;
        }
    }

    /** A page of the queue {@code name}'s state exported by the group it is migrating from. */
    record ImportQueueState(String name, QueueExport page) implements QueueCommand {
        public ImportQueueState {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(page, "page");
        }

        public QueueCommandType type() {
            return QueueCommandType.IMPORT_QUEUE_STATE;
        }
    }

    /**
     * Outbox messages of the topic outbox {@code outbox} and their copies (see {@link FanOutItem}), moved in one apply.
     * {@code deliveriesBilledTo}: the topic's owner, billed for each copy marked billed that the apply stores, as
     * {@link Send#deliveriesBilledTo} bills; null when none is.
     */
    record FanOut(String outbox, String deliveriesBilledTo, List<FanOutItem> items) implements QueueCommand {
        public FanOut {
            java.util.Objects.requireNonNull(outbox, "outbox");
            items = List.copyOf(items);
        }

        public QueueCommandType type() {
            return QueueCommandType.FAN_OUT;
        }
    }
}
