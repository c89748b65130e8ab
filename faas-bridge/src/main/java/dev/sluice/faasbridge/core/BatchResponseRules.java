package dev.sluice.faasbridge.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;

/**
 * Lambda's rules for reading a function's answer to an SQS batch (Lambda developer guide, "Handling
 * errors for an SQS event source in Lambda", partial batch responses). Stateless and thread-safe.
 *
 * <p>A failed invocation fails the whole batch. A returned invocation succeeds for every record unless
 * the mapping has {@code ReportBatchItemFailures}; then:
 * <ul>
 *   <li>complete success: no payload, a {@code null} or empty payload object, a payload without
 *       {@code batchItemFailures}, a {@code null} or empty {@code batchItemFailures} list;</li>
 *   <li>complete failure: a payload that is not valid JSON, a {@code batchItemFailures} that is not a
 *       list, an entry that is not an object or has no {@code itemIdentifier} key (a bad key name), a
 *       {@code null}, non-string or empty {@code itemIdentifier}, or one naming no message of the batch;</li>
 *   <li>otherwise exactly the listed messages failed.</li>
 * </ul>
 * A payload that is valid JSON but not an object carries no failure list: it counts as success.
 */
public final class BatchResponseRules {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchResponseRules() {
    }

    /** The verdict for a batch whose records have {@code batchMessageIds}. */
    public static BatchVerdict verdict(InvocationOutcome outcome, boolean reportBatchItemFailures, Set<String> batchMessageIds) {
        if (outcome instanceof InvocationOutcome.Failed failed) {
            return BatchVerdict.allFailed("function error " + failed.errorType() + ": " + failed.message());
        }
        String payload = ((InvocationOutcome.Returned) outcome).payload();
        if (!reportBatchItemFailures || payload == null || payload.isBlank()) {
            return BatchVerdict.allSucceeded();
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return BatchVerdict.allFailed("the function's response is not valid JSON");
        }
        if (root == null || !root.isObject() || !root.has("batchItemFailures")) {
            return BatchVerdict.allSucceeded();
        }
        return failuresVerdict(root.get("batchItemFailures"), batchMessageIds);
    }

    private static BatchVerdict failuresVerdict(JsonNode failures, Set<String> batchMessageIds) {
        if (failures.isNull()) {
            return BatchVerdict.allSucceeded();
        }
        if (!failures.isArray()) {
            return BatchVerdict.allFailed("batchItemFailures is not a list");
        }
        if (failures.isEmpty()) {
            return BatchVerdict.allSucceeded();
        }
        Set<String> failed = new HashSet<>();
        for (JsonNode entry : failures) {
            if (!entry.isObject() || !entry.has("itemIdentifier")) {
                return BatchVerdict.allFailed("a batchItemFailures entry has no itemIdentifier key");
            }
            JsonNode id = entry.get("itemIdentifier");
            if (!id.isTextual() || id.asText().isEmpty()) {
                return BatchVerdict.allFailed("a batchItemFailures entry has a null, empty or non-string itemIdentifier");
            }
            if (!batchMessageIds.contains(id.asText())) {
                return BatchVerdict.allFailed("itemIdentifier " + id.asText() + " names no message of the batch");
            }
            failed.add(id.asText());
        }
        return BatchVerdict.partial(failed);
    }

    /**
     * How an HTTP function signals failure: a non-2xx status, an {@code X-Amz-Function-Error} header (Lambda's
     * Invoke API and the Runtime Interface Emulator), or a JSON object body with an {@code errorType} (what a
     * Lambda runtime returns for an unhandled error).
     */
    public static InvocationOutcome fromHttp(int status, String functionErrorHeader, String body) {
        if (status < 200 || status > 299) {
            return new InvocationOutcome.Failed("HTTP" + status, abbreviate(body));
        }
        JsonNode root = null;
        if (body != null && !body.isBlank()) {
            try {
                root = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                root = null;
            }
        }
        boolean errorBody = root != null && root.isObject() && root.hasNonNull("errorType");
        if (functionErrorHeader != null || errorBody) {
            String type = errorBody ? root.get("errorType").asText() : functionErrorHeader;
            String message = errorBody && root.hasNonNull("errorMessage") ? root.get("errorMessage").asText() : abbreviate(body);
            return new InvocationOutcome.Failed(type, message);
        }
        return new InvocationOutcome.Returned(body);
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 256 ? body : body.substring(0, 256) + "...";
    }
}
