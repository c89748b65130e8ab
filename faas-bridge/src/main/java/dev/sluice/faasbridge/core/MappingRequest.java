package dev.sluice.faasbridge.core;

import java.util.List;

/**
 * A create or update of an event source mapping as the API receives it (Lambda's
 * CreateEventSourceMapping / UpdateEventSourceMapping fields): absent fields are null, meaning Lambda's
 * default on create and "unchanged" on update. {@code EventSourceArn} cannot change on update.
 */
public record MappingRequest(String functionName, String eventSourceArn, Integer batchSize,
        Integer maximumBatchingWindowSeconds, Integer maximumConcurrency, List<String> functionResponseTypes,
        List<String> filterPatterns, Boolean enabled) {

    /** A named function must be nameable: the name is a key in the store, so it is bounded before any lookup. */
    public MappingRequest {
        if (functionName != null) {
            FunctionDefinition.checkName(functionName);
        }
    }

    public EventSourceMapping create(String uuid, long nowMillis) {
        if (eventSourceArn == null) {
            throw FunctionDefinition.invalid("EventSourceArn is required");
        }
        return new EventSourceMapping(uuid, functionName, QueueArn.parse(eventSourceArn),
                batchSize == null ? EventSourceMapping.DEFAULT_BATCH_SIZE : batchSize,
                maximumBatchingWindowSeconds == null ? 0 : maximumBatchingWindowSeconds, maximumConcurrency,
                reportBatchItemFailures(functionResponseTypes), filterPatterns, enabled == null || enabled, nowMillis);
    }

    public EventSourceMapping update(EventSourceMapping current, long nowMillis) {
        if (eventSourceArn != null && !eventSourceArn.equals(current.eventSourceArn().toString())) {
            throw FunctionDefinition.invalid("EventSourceArn cannot be changed; create another mapping");
        }
        return new EventSourceMapping(current.uuid(), functionName == null ? current.functionName() : functionName,
                current.eventSourceArn(), batchSize == null ? current.batchSize() : batchSize,
                maximumBatchingWindowSeconds == null ? current.maximumBatchingWindowSeconds() : maximumBatchingWindowSeconds,
                maximumConcurrency == null ? current.maximumConcurrency() : maximumConcurrency,
                functionResponseTypes == null ? current.reportBatchItemFailures() : reportBatchItemFailures(functionResponseTypes),
                filterPatterns == null ? current.filterPatterns() : filterPatterns,
                enabled == null ? current.enabled() : enabled, nowMillis);
    }

    private static boolean reportBatchItemFailures(List<String> types) {
        if (types == null) {
            return false;
        }
        for (String type : types) {
            if (!EventSourceMapping.REPORT_BATCH_ITEM_FAILURES.equals(type)) {
                throw FunctionDefinition.invalid("FunctionResponseTypes may only hold "
                        + EventSourceMapping.REPORT_BATCH_ITEM_FAILURES + "; got " + FunctionDefinition.quoted(type));
            }
        }
        return !types.isEmpty();
    }
}
