package dev.sluice.clientsdk.lambda;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code POST /v1/event-source-mappings} (create) and
 * {@code PUT /v1/event-source-mappings/{UUID}} (update), Lambda's CreateEventSourceMapping fields. Null
 * fields are not sent: Lambda's default on create, unchanged on update. {@code eventSourceArn} is
 * required on create and cannot change.
 *
 * @param batchSize 1-10,000 (FIFO 1-10), default 10
 * @param maximumBatchingWindowInSeconds 0-300, default 0; at least 1 when batchSize is over 10
 * @param functionResponseTypes empty or {@code ReportBatchItemFailures}
 * @param enabled default true
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventSourceMappingRequest(
        @JsonProperty("FunctionName") String functionName,
        @JsonProperty("EventSourceArn") String eventSourceArn,
        @JsonProperty("BatchSize") Integer batchSize,
        @JsonProperty("MaximumBatchingWindowInSeconds") Integer maximumBatchingWindowInSeconds,
        @JsonProperty("ScalingConfig") ScalingConfig scalingConfig,
        @JsonProperty("FunctionResponseTypes") List<String> functionResponseTypes,
        @JsonProperty("FilterCriteria") FilterCriteria filterCriteria,
        @JsonProperty("Enabled") Boolean enabled) {

    /** The function response type that lets a function fail single messages of a batch. */
    public static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    /** A mapping of {@code functionName} to the queue {@code eventSourceArn} with Lambda's defaults. */
    public static EventSourceMappingRequest of(String functionName, String eventSourceArn) {
        return new EventSourceMappingRequest(functionName, eventSourceArn, null, null, null, null, null, null);
    }

    /** An update that changes nothing yet; add fields with the {@code with} methods. */
    public static EventSourceMappingRequest update() {
        return of(null, null);
    }

    public EventSourceMappingRequest withBatchSize(int size) {
        return new EventSourceMappingRequest(functionName, eventSourceArn, size, maximumBatchingWindowInSeconds, scalingConfig,
                functionResponseTypes, filterCriteria, enabled);
    }

    public EventSourceMappingRequest withMaximumBatchingWindowInSeconds(int seconds) {
        return new EventSourceMappingRequest(functionName, eventSourceArn, batchSize, seconds, scalingConfig,
                functionResponseTypes, filterCriteria, enabled);
    }

    public EventSourceMappingRequest withMaximumConcurrency(int maximum) {
        return new EventSourceMappingRequest(functionName, eventSourceArn, batchSize, maximumBatchingWindowInSeconds,
                new ScalingConfig(maximum), functionResponseTypes, filterCriteria, enabled);
    }

    public EventSourceMappingRequest withReportBatchItemFailures() {
        return new EventSourceMappingRequest(functionName, eventSourceArn, batchSize, maximumBatchingWindowInSeconds, scalingConfig,
                List.of(REPORT_BATCH_ITEM_FAILURES), filterCriteria, enabled);
    }

    public EventSourceMappingRequest withFilterCriteria(FilterCriteria criteria) {
        return new EventSourceMappingRequest(functionName, eventSourceArn, batchSize, maximumBatchingWindowInSeconds, scalingConfig,
                functionResponseTypes, criteria, enabled);
    }

    public EventSourceMappingRequest withEnabled(boolean on) {
        return new EventSourceMappingRequest(functionName, eventSourceArn, batchSize, maximumBatchingWindowInSeconds, scalingConfig,
                functionResponseTypes, filterCriteria, on);
    }
}
