package dev.sluice.faasbridge.service;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;

/**
 * What this node's bridge is doing, for the operator's Functions page: per function (its meter label: the name, or
 * {@code __overflow__} for the mappings beyond the label bound) the numbers its meters show summed over its source
 * queues, and the recent problems of every mapping
 * polled here, newest first. A snapshot; the broker sums the snapshots of every node.
 *
 * @param functions per function label, sorted
 * @param recentErrors newest first, at most {@link #MAX_RECENT_ERRORS}
 */
public record BridgeActivity(SortedMap<String, FunctionNumbers> functions, List<MappingError> recentErrors) {
    /** How many problems a snapshot (and a cluster's merge of them) carries: a page's worth. */
    public static final int MAX_RECENT_ERRORS = 50;

    /** Newest first; ties by mapping, then message, so a merge is stable. */
    public static final Comparator<MappingError> NEWEST_FIRST = Comparator.comparing(MappingError::at).reversed()
            .thenComparing(MappingError::mappingUuid).thenComparing(MappingError::message);

    public BridgeActivity {
        functions = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(functions));
        recentErrors = recentErrors.stream().sorted(NEWEST_FIRST).limit(MAX_RECENT_ERRORS).toList();
    }

    /**
     * A function's meters on this bridge since its first mapping started here (they start again at 0 when its last
     * mapping stops here).
     *
     * @param concurrency invocations in flight now
     * @param sourceAgeMillis age of the oldest message in the function's source queues as the pollers last received
     */
    public record FunctionNumbers(long concurrency, long invocations, long errors, long throttles, long partialFailures,
            long sourceAgeMillis) {
        /**
         * Two nodes' (or two source queues') numbers together: counts add up, the source age is the larger (the oldest
         * message waiting for the function anywhere).
         */
        public FunctionNumbers plus(FunctionNumbers other) {
            return new FunctionNumbers(concurrency + other.concurrency, invocations + other.invocations,
                    errors + other.errors, throttles + other.throttles, partialFailures + other.partialFailures,
                    Math.max(sourceAgeMillis, other.sourceAgeMillis));
        }
    }

    /** One problem a mapping's poller met on this bridge. */
    public record MappingError(String mappingUuid, Instant at, String message) {
    }
}
