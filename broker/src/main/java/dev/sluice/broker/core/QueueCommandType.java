package dev.sluice.broker.core;

/**
 * The one registry of queue commands and their wire codes, as they travel in the Raft log. Codes are
 * append-only: never renumber, never reuse a retired one (old logs and snapshots replay forever).
 * Every dispatch over commands is a {@code switch} expression over this enum, so a command added here
 * and not handled somewhere fails to compile. Golden byte files hold each code's format still.
 */
public enum QueueCommandType {
    CREATE_QUEUE(1),
    DELETE_QUEUE(2),
    SET_ATTRIBUTES(3),
    TAG_QUEUE(4),
    UNTAG_QUEUE(5),
    SEND(6),
    RECEIVE(7),
    DELETE(8),
    CHANGE_VISIBILITY(9),
    PURGE(10),
    START_MOVE_TASK(11),
    STEP_MOVE_TASK(12),
    CANCEL_MOVE_TASK(13),
    /** A FIFO receive carrying a ReceiveRequestAttemptId: its own code so that code 7 keeps its format. */
    RECEIVE_WITH_ATTEMPT(14),
    /** Transferred messages into this group's queues, idempotent by transfer id (see {@code TransferInbox}). */
    IMPORT_TRANSFERS(15),
    /** Transfers of this group's outbox delivered (removed) or without a destination (returned to their queue). */
    SETTLE_TRANSFERS(16),
    /** CreateQueue with the router's facts about a dead-letter queue in another group: code 1 keeps its format. */
    CREATE_QUEUE_WITH_REMOTE_DEAD_LETTER_QUEUE(17),
    /** SetQueueAttributes with the router's facts about a dead-letter queue in another group: code 3 keeps its format. */
    SET_ATTRIBUTES_WITH_REMOTE_DEAD_LETTER_QUEUE(18),
    /** StartMessageMoveTask that may move messages to other groups, with the router's facts: code 11 keeps its format. */
    START_MOVE_TASK_ACROSS_GROUPS(19),
    /** A queue's fence and partition (see {@code QueueLayout}): how a migration or a partition change refuses stale routes. */
    SET_QUEUE_LAYOUT(20),
    /** DeleteQueue only if the queue holds no message at all, decided in one apply (a migration's last step). */
    DELETE_QUEUE_IF_EMPTY(21),
    /** One page of a queue migrated from another group, into the queue created for it here (see {@code QueueExport}). */
    IMPORT_QUEUE_STATE(22),
    /**
     * A move task's step that moves no more than the task's ApproximateNumberOfMessagesToMove in all (see
     * {@code MoveTasks#step}): code 12 keeps its format and its meaning (move until the queue is empty), so old logs
     * replay as they were first applied.
     */
    STEP_MOVE_TASK_UP_TO_COUNT(23),
    /**
     * Usage a node counted at its edge (requests that append nothing to a log, such as an empty receive), added once
     * per (source, sequence): a retried flush changes nothing (see {@code UsageStore#recordOnce}).
     */
    RECORD_USAGE(24),
    /**
     * A send of SNS notification copies to an sqs subscription's queue (or its dead-letter queue) that bills each copy
     * its apply stores to the topic's owner, named in the entry: exact across retries and failover, as the copy and
     * its bill are one entry. Feature level 3 ({@code FeatureLevel.USAGE_IN_LOG}).
     */
    SEND_SQS_DELIVERIES(25),
    /**
     * A delete of the messages a function invocation handled that bills the invocation and its duration to the
     * function's owner if it removes at least one of them: a retried delete removes nothing and bills nothing. Feature
     * level 3 ({@code FeatureLevel.USAGE_IN_LOG}).
     */
    DELETE_BILLING_INVOCATION(26),
    /**
     * A topic's outbox messages moved to their subscriptions in one apply (see {@code FanoutApplier}): copies for this
     * group's queues stored, those for other groups put in the transfer outbox, refused ones in a remainder, the outbox
     * messages removed; idempotent per outbox message. Feature level 4 ({@code FeatureLevel.FANOUT_IN_ONE_APPLY}).
     */
    FAN_OUT(27);

    private static final QueueCommandType[] BY_CODE = byCode();

    private final int code;

    QueueCommandType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type of a wire code, or null for a code this release does not know (the caller stops the node). */
    public static QueueCommandType ofCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    private static QueueCommandType[] byCode() {
        int max = 0;
        for (QueueCommandType type : values()) {
            max = Math.max(max, type.code);
        }
        QueueCommandType[] table = new QueueCommandType[max + 1];
        for (QueueCommandType type : values()) {
            if (table[type.code] != null) {
                throw new ExceptionInInitializerError("queue command code " + type.code + " used twice");
            }
            table[type.code] = type;
        }
        return table;
    }
}
