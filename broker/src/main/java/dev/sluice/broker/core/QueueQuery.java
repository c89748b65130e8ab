package dev.sluice.broker.core;

import java.util.List;

/** Linearizable reads of the queue engine. Type codes are append-only in {@link QueueQueryType}. */
public sealed interface QueueQuery {

    QueueQueryType type();

    record Attributes(String name, List<String> attributeNames, long nowMillis) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.ATTRIBUTES;
        }
    }

    record Exists(String name) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.EXISTS;
        }
    }

    record ListQueues(String prefix, String startAfter, int limit) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.LIST_QUEUES;
        }
    }

    record Tags(String name) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.TAGS;
        }
    }

    record DeadLetterSources(String name) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.DEAD_LETTER_SOURCES;
        }
    }

    record MoveTasksOf(String sourceArn, int limit) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.MOVE_TASKS_OF;
        }
    }

    /** Whether {@code name} exists here, whether it is FIFO, and whether its RedriveAllowPolicy allows {@code sourceArn}. */
    record RedriveTarget(String name, String sourceArn) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.REDRIVE_TARGET;
        }
    }

    /** Like {@link DeadLetterSources}, without requiring the dead-letter queue to be in this group: it may live in another. */
    record DeadLetterSourcesAnywhere(String name) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.DEAD_LETTER_SOURCES_ANYWHERE;
        }
    }

    /** Whether the queue {@code name} (which must exist here) remembers deduplication ids still live at {@code nowMillis}. */
    record LiveDeduplication(String name, long nowMillis) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.LIVE_DEDUPLICATION;
        }
    }

    /**
     * Up to {@code limit} of the queue {@code name}'s oldest messages as they stand at {@code nowMillis}, read only:
     * no receive count, visibility or place changes (a query never goes through the log).
     */
    record PeekMessages(String name, int limit, long nowMillis) implements QueueQuery {
        public PeekMessages {
            if (limit < 1 || limit > PeekedMessage.MAX_PER_PEEK) {
                throw new IllegalArgumentException("limit must be 1.." + PeekedMessage.MAX_PER_PEEK + ": " + limit);
            }
        }

        public QueueQueryType type() {
            return QueueQueryType.PEEK_MESSAGES;
        }
    }

    /** How many messages a receive could take from {@code name} now, and when the next hidden one appears. */
    record Receivable(String name) implements QueueQuery {
        public QueueQueryType type() {
            return QueueQueryType.RECEIVABLE;
        }
    }

    /**
     * The backlog at {@code nowMillis} and the traffic counts of each of {@code names} this group holds (others are left
     * out of the answer). The counts are the answering leader's node-local meters (see {@code QueueActivity}), so the
     * answer is only as good as the replica that gives it: the leader, which counted the traffic it proposed.
     */
    record Stats(List<String> names, long nowMillis) implements QueueQuery {
        /** Names per query at most: a page of the REST list (its maxResults bound). */
        public static final int MAX_NAMES = 1000;

        public Stats {
            names = List.copyOf(names);
            if (names.size() > MAX_NAMES) {
                throw new IllegalArgumentException("at most " + MAX_NAMES + " names: " + names.size());
            }
        }

        public QueueQueryType type() {
            return QueueQueryType.QUEUE_STATS;
        }
    }

    /**
     * The usage counters of hours starting in [{@code fromMillis}, {@code toMillis}) of {@code account}, or of every
     * account when it is empty: replicated state, so any up-to-date replica gives the same answer.
     */
    record Usage(String account, long fromMillis, long toMillis) implements QueueQuery {
        public Usage {
            java.util.Objects.requireNonNull(account, "account (empty for every account)");
        }

        public QueueQueryType type() {
            return QueueQueryType.USAGE;
        }
    }

    /** What the queues of each of {@code accounts} (at most {@link Stats#MAX_NAMES}) hold in this group. */
    record AccountHoldings(List<String> accounts) implements QueueQuery {
        public AccountHoldings {
            accounts = List.copyOf(accounts);
            if (accounts.size() > Stats.MAX_NAMES) {
                throw new IllegalArgumentException("at most " + Stats.MAX_NAMES + " accounts: " + accounts.size());
            }
        }

        public QueueQueryType type() {
            return QueueQueryType.ACCOUNT_HOLDINGS;
        }
    }

    /** A page of the queue {@code name}'s whole state from {@code from}, about {@code maxBytes} at most. */
    record ExportQueue(String name, QueueExport.Position from, int maxBytes, long nowMillis) implements QueueQuery {
        public ExportQueue {
            java.util.Objects.requireNonNull(from, "from");
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("maxBytes must be positive");
            }
        }

        public QueueQueryType type() {
            return QueueQueryType.EXPORT_QUEUE;
        }
    }
}
