package dev.sluice.broker.core;

import java.util.List;
import java.util.Map;

/**
 * Every state change of the queue engine, as it travels through the Raft log. Type ids are an
 * append-only registry: never renumber, never reuse (see {@code QueueCommandCodec}).
 */
public sealed interface QueueCommand {

    int typeId();

    record CreateQueue(String name, Map<String, String> attributes, Map<String, String> tags) implements QueueCommand {
        public int typeId() {
            return 1;
        }
    }

    record DeleteQueue(String name) implements QueueCommand {
        public int typeId() {
            return 2;
        }
    }

    record SetAttributes(String name, Map<String, String> attributes) implements QueueCommand {
        public int typeId() {
            return 3;
        }
    }

    record TagQueue(String name, Map<String, String> tags, int maxTags) implements QueueCommand {
        public int typeId() {
            return 4;
        }
    }

    record UntagQueue(String name, List<String> keys) implements QueueCommand {
        public int typeId() {
            return 5;
        }
    }

    record Send(String name, List<SendEntry> entries) implements QueueCommand {
        public int typeId() {
            return 6;
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

        public int typeId() {
            return receiveRequestAttemptId == null ? 7 : 14;
        }
    }

    record Delete(String name, List<HandleEntry> entries) implements QueueCommand {
        public int typeId() {
            return 8;
        }
    }

    record ChangeVisibility(String name, List<VisibilityChange> entries) implements QueueCommand {
        public int typeId() {
            return 9;
        }
    }

    record Purge(String name) implements QueueCommand {
        public int typeId() {
            return 10;
        }
    }

    record StartMoveTask(String sourceArn, String destinationArn, Integer maxMessagesPerSecond) implements QueueCommand {
        public int typeId() {
            return 11;
        }
    }

    record StepMoveTask(String handle, int maxMessages) implements QueueCommand {
        public int typeId() {
            return 12;
        }
    }

    record CancelMoveTask(String handle) implements QueueCommand {
        public int typeId() {
            return 13;
        }
    }
}
