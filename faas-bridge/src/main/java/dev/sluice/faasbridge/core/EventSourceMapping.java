package dev.sluice.faasbridge.core;

import java.util.List;
import java.util.Objects;

/**
 * A queue feeding a function, with Lambda's SQS event-source-mapping settings. The compact
 * constructor holds every rule that needs neither the queue's state nor the function; see
 * {@link MappingChecks} for the rest.
 *
 * @param uuid                            the mapping's id
 * @param functionName                    the function invoked
 * @param eventSourceArn                  the queue polled
 * @param batchSize                       records a batch at most: 1..10,000 (standard), 1..10 (FIFO)
 * @param maximumBatchingWindowSeconds    0..300: how long to gather records before invoking; at least 1
 *                                        when {@code batchSize} is over 10; 0 on FIFO queues
 * @param maximumConcurrency              2..1,000 concurrent invocations of this mapping, or null (the
 *                                        bridge's own bound applies)
 * @param reportBatchItemFailures         {@code FunctionResponseTypes} holds {@code ReportBatchItemFailures}
 * @param filterPatterns                  {@code FilterCriteria.Filters[].Pattern}, at most 5 patterns that
 *                                        {@link RecordFilter} compiles
 * @param enabled                         pollers run only for enabled mappings
 * @param lastModifiedMillis              when it was last written (epoch ms)
 */
public record EventSourceMapping(String uuid, String functionName, QueueArn eventSourceArn, int batchSize,
        int maximumBatchingWindowSeconds, Integer maximumConcurrency, boolean reportBatchItemFailures,
        List<String> filterPatterns, boolean enabled, long lastModifiedMillis) {
    public static final int DEFAULT_BATCH_SIZE = 10;
    public static final int MAX_BATCH_SIZE_STANDARD = 10_000;
    public static final int MAX_BATCH_SIZE_FIFO = 10;
    public static final int MAX_BATCHING_WINDOW_SECONDS = 300;
    public static final int MIN_MAXIMUM_CONCURRENCY = 2;
    public static final int MAX_MAXIMUM_CONCURRENCY = 1000;
    public static final int MAX_FILTERS = 5;
    public static final int MAX_PATTERN_CHARS = 4096;
    public static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    public EventSourceMapping {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(eventSourceArn, "eventSourceArn");
        if (functionName == null || functionName.isEmpty()) {
            throw FunctionDefinition.invalid("FunctionName is required");
        }
        filterPatterns = List.copyOf(filterPatterns == null ? List.of() : filterPatterns);
        int maxBatch = eventSourceArn.isFifo() ? MAX_BATCH_SIZE_FIFO : MAX_BATCH_SIZE_STANDARD;
        if (batchSize < 1 || batchSize > maxBatch) {
            throw FunctionDefinition.invalid("BatchSize must be between 1 and " + maxBatch + " for "
                    + (eventSourceArn.isFifo() ? "FIFO" : "standard") + " queues; got " + batchSize);
        }
        if (maximumBatchingWindowSeconds < 0 || maximumBatchingWindowSeconds > MAX_BATCHING_WINDOW_SECONDS) {
            throw FunctionDefinition.invalid("MaximumBatchingWindowInSeconds must be between 0 and "
                    + MAX_BATCHING_WINDOW_SECONDS + "; got " + maximumBatchingWindowSeconds);
        }
        if (eventSourceArn.isFifo() && maximumBatchingWindowSeconds > 0) {
            throw FunctionDefinition.invalid("Batching window is not supported for FIFO queues");
        }
        if (batchSize > 10 && maximumBatchingWindowSeconds < 1) {
            throw FunctionDefinition.invalid("MaximumBatchingWindowInSeconds must be at least 1 when BatchSize is greater "
                    + "than 10; got BatchSize " + batchSize + " with a window of " + maximumBatchingWindowSeconds);
        }
        if (maximumConcurrency != null
                && (maximumConcurrency < MIN_MAXIMUM_CONCURRENCY || maximumConcurrency > MAX_MAXIMUM_CONCURRENCY)) {
            throw FunctionDefinition.invalid("ScalingConfig.MaximumConcurrency must be between " + MIN_MAXIMUM_CONCURRENCY
                    + " and " + MAX_MAXIMUM_CONCURRENCY + "; got " + maximumConcurrency);
        }
        if (filterPatterns.size() > MAX_FILTERS) {
            throw FunctionDefinition.invalid("FilterCriteria holds at most " + MAX_FILTERS + " filters; got "
                    + filterPatterns.size());
        }
        for (String pattern : filterPatterns) {
            if (pattern == null || pattern.isBlank() || pattern.length() > MAX_PATTERN_CHARS) {
                throw FunctionDefinition.invalid("Each FilterCriteria pattern must be 1 to " + MAX_PATTERN_CHARS
                        + " characters of JSON");
            }
        }
        RecordFilter.compile(filterPatterns);
    }

    /** The function response types as Lambda lists them. */
    public List<String> functionResponseTypes() {
        return reportBatchItemFailures ? List.of(REPORT_BATCH_ITEM_FAILURES) : List.of();
    }

    /** This mapping feeding the function of another name (its stored, qualified one, or the bare one shown). */
    public EventSourceMapping withFunctionName(String name) {
        return new EventSourceMapping(uuid, name, eventSourceArn, batchSize, maximumBatchingWindowSeconds,
                maximumConcurrency, reportBatchItemFailures, filterPatterns, enabled, lastModifiedMillis);
    }

    public String state() {
        return enabled ? "Enabled" : "Disabled";
    }
}
