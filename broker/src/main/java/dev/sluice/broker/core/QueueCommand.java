package dev.sluice.broker.core;

import java.util.List;
import java.util.Map;

/**
 * Every state change of the queue engine, as it travels through the Raft log. Type ids are an
 * append-only registry: never renumber, never reuse (see {@link QueueCommandType}).
 */
public sealed interface QueueCommand {

    QueueCommandType type();

    record CreateQueue(String name, Map<String, String> attributes, Map<String, String> tags) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.CREATE_QUEUE;
        }
    }

    record DeleteQueue(String name) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.DELETE_QUEUE;
        }
    }

    record SetAttributes(String name, Map<String, String> attributes) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.SET_ATTRIBUTES;
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

    record Send(String name, List<SendEntry> entries) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.SEND;
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

    record Delete(String name, List<HandleEntry> entries) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.DELETE;
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

    record StepMoveTask(String handle, int maxMessages) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.STEP_MOVE_TASK;
        }
    }

    record CancelMoveTask(String handle) implements QueueCommand {
        public QueueCommandType type() {
            return QueueCommandType.CANCEL_MOVE_TASK;
        }
    }
}
