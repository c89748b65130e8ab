package dev.sluice.broker.core;

import java.util.List;

/** Linearizable reads of the queue engine. Type ids are append-only, as for commands. */
public sealed interface QueueQuery {

    int typeId();

    record Attributes(String name, List<String> attributeNames, long nowMillis) implements QueueQuery {
        public int typeId() {
            return 1;
        }
    }

    record Exists(String name) implements QueueQuery {
        public int typeId() {
            return 2;
        }
    }

    record ListQueues(String prefix, String startAfter, int limit) implements QueueQuery {
        public int typeId() {
            return 3;
        }
    }

    record Tags(String name) implements QueueQuery {
        public int typeId() {
            return 4;
        }
    }

    record DeadLetterSources(String name) implements QueueQuery {
        public int typeId() {
            return 5;
        }
    }

    record MoveTasksOf(String sourceArn, int limit) implements QueueQuery {
        public int typeId() {
            return 6;
        }
    }

    /** Like {@link DeadLetterSources}, without requiring the dead-letter queue to be in this group: it may live in another. */
    record DeadLetterSourcesAnywhere(String name) implements QueueQuery {
        public int typeId() {
            return 7;
        }
    }
}
