package dev.sluice.faasbridge.function;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * Lambda's partial batch response, {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}}.
 * {@code batchItemFailures} may be null (success); entries are kept as given, nulls included, so the
 * bridge applies Lambda's rules to exactly what the function returned.
 */
public record SqsBatchResponse(@JsonProperty("batchItemFailures") List<BatchItemFailure> batchItemFailures) {
    public SqsBatchResponse {
        batchItemFailures = batchItemFailures == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(batchItemFailures));
    }

    /** A response listing these message ids as failed. */
    public static SqsBatchResponse failing(List<String> messageIds) {
        return new SqsBatchResponse(messageIds.stream().map(BatchItemFailure::new).toList());
    }

    public record BatchItemFailure(@JsonProperty("itemIdentifier") String itemIdentifier) {
    }
}
