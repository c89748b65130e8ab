package dev.sluice.faasbridge.api.http;

import dev.sluice.clientsdk.LambdaError;
import dev.sluice.clientsdk.json.JsonBodyReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.faasbridge.core.BridgeException;
import dev.sluice.faasbridge.core.EventSourceMapping;
import dev.sluice.faasbridge.core.FunctionDefinition;
import dev.sluice.faasbridge.core.FunctionRequest;
import dev.sluice.faasbridge.core.MappingRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * JSON ↔ the bridge's requests and records, with Lambda's field names (CreateEventSourceMapping,
 * EventSourceMappingConfiguration). Unknown fields and wrongly typed values are refused with
 * {@link LambdaError#INVALID_REQUEST_CONTENT}, naming the field. Stateless and thread-safe.
 */
public final class BridgeJsonCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonBodyReader READER = new JsonBodyReader(BridgeJsonCodec::bad);
    private static final Set<String> FUNCTION_FIELDS = Set.of("FunctionName", "InvokeUrl", "Handler", "Timeout",
            "ReservedConcurrentExecutions");
    private static final Set<String> MAPPING_FIELDS = Set.of("FunctionName", "EventSourceArn", "BatchSize",
            "MaximumBatchingWindowInSeconds", "ScalingConfig", "FunctionResponseTypes", "FilterCriteria", "Enabled");
    private static final String LAMBDA_ARN_PREFIX = "arn:aws:lambda:";

    private BridgeJsonCodec() {
    }

    public static FunctionRequest functionRequest(byte[] body) {
        ObjectNode root = READER.object(body, FUNCTION_FIELDS);
        return new FunctionRequest(functionName(text(root, "FunctionName")), text(root, "InvokeUrl"), text(root, "Handler"),
                integer(root, "Timeout"), integer(root, "ReservedConcurrentExecutions"));
    }

    public static MappingRequest mappingRequest(byte[] body) {
        ObjectNode root = READER.object(body, MAPPING_FIELDS);
        JsonNode scaling = READER.object(root, "ScalingConfig", "ScalingConfig");
        Integer concurrency = scaling == null ? null : READER.integer(scaling, "MaximumConcurrency", "ScalingConfig.MaximumConcurrency");
        List<String> patterns = null;
        JsonNode criteria = READER.object(root, "FilterCriteria", "FilterCriteria");
        if (criteria != null) {
            JsonNode filters = criteria.get("Filters");
            if (filters == null || !filters.isArray()) {
                throw bad("FilterCriteria must be an object with a Filters list");
            }
            patterns = new ArrayList<>();
            for (int index = 0; index < filters.size(); index++) {
                String pattern = READER.text(filters.get(index), "Pattern", "FilterCriteria.Filters[" + index + "].Pattern");
                if (pattern == null) {
                    throw bad("Each FilterCriteria.Filters entry needs a Pattern string");
                }
                patterns.add(pattern);
            }
        }
        return new MappingRequest(functionName(text(root, "FunctionName")), text(root, "EventSourceArn"),
                integer(root, "BatchSize"), integer(root, "MaximumBatchingWindowInSeconds"), concurrency,
                READER.strings(root, "FunctionResponseTypes", "FunctionResponseTypes"), patterns, READER.bool(root, "Enabled", "Enabled"));
    }

    public static ObjectNode function(FunctionDefinition function, String arn) {
        ObjectNode out = JSON.createObjectNode().put("FunctionName", function.name()).put("FunctionArn", arn);
        if (function.invokeUrl() != null) {
            out.put("InvokeUrl", function.invokeUrl());
        }
        if (function.handler() != null) {
            out.put("Handler", function.handler());
        }
        out.put("Timeout", function.timeoutSeconds());
        if (function.reservedConcurrency() != null) {
            out.put("ReservedConcurrentExecutions", function.reservedConcurrency());
        }
        return out.put("LastModified", java.time.Instant.ofEpochMilli(function.lastModifiedMillis()).toString());
    }

    public static ObjectNode mapping(EventSourceMapping mapping, String functionArn, String state) {
        ObjectNode out = JSON.createObjectNode().put("UUID", mapping.uuid()).put("BatchSize", mapping.batchSize())
                .put("MaximumBatchingWindowInSeconds", mapping.maximumBatchingWindowSeconds())
                .put("EventSourceArn", mapping.eventSourceArn().toString()).put("FunctionArn", functionArn)
                .put("FunctionName", mapping.functionName())
                .put("LastModified", mapping.lastModifiedMillis() / 1000.0).put("State", state)
                .put("StateTransitionReason", "USER_INITIATED");
        ArrayNode types = out.putArray("FunctionResponseTypes");
        mapping.functionResponseTypes().forEach(types::add);
        if (mapping.maximumConcurrency() != null) {
            out.putObject("ScalingConfig").put("MaximumConcurrency", mapping.maximumConcurrency());
        }
        if (!mapping.filterPatterns().isEmpty()) {
            ArrayNode filters = out.putObject("FilterCriteria").putArray("Filters");
            mapping.filterPatterns().forEach(pattern -> filters.addObject().put("Pattern", pattern));
        }
        return out;
    }

    public static <T> ObjectNode list(String field, List<T> items, Function<T, ObjectNode> encode) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode array = out.putArray(field);
        items.forEach(item -> array.add(encode.apply(item)));
        return out;
    }

    /** The inverse of {@link #function}: a function as a server's API answered it. */
    public static FunctionDefinition functionFromJson(JsonNode json) {
        return new FunctionDefinition(json.path("FunctionName").asText(null), json.path("InvokeUrl").asText(null),
                json.path("Handler").asText(null), json.path("Timeout").asInt(),
                json.hasNonNull("ReservedConcurrentExecutions") ? json.get("ReservedConcurrentExecutions").asInt() : null,
                java.time.Instant.parse(json.path("LastModified").asText()).toEpochMilli());
    }

    /** The inverse of {@link #mapping}: a mapping as a server's API answered it. */
    public static EventSourceMapping mappingFromJson(JsonNode json) {
        List<String> patterns = new ArrayList<>();
        json.path("FilterCriteria").path("Filters").forEach(filter -> patterns.add(filter.path("Pattern").asText()));
        JsonNode concurrency = json.path("ScalingConfig").path("MaximumConcurrency");
        boolean report = false;
        for (JsonNode type : json.path("FunctionResponseTypes")) {
            report |= EventSourceMapping.REPORT_BATCH_ITEM_FAILURES.equals(type.asText());
        }
        return new EventSourceMapping(json.path("UUID").asText(), json.path("FunctionName").asText(),
                dev.sluice.faasbridge.core.QueueArn.parse(json.path("EventSourceArn").asText()), json.path("BatchSize").asInt(),
                json.path("MaximumBatchingWindowInSeconds").asInt(), concurrency.isInt() ? concurrency.asInt() : null, report, patterns,
                !"Disabled".equals(json.path("State").asText()), Math.round(json.path("LastModified").asDouble() * 1000));
    }

    /** {@code {"Bridges":[ids]}}. */
    public static ObjectNode bridges(List<String> ids) {
        ObjectNode out = JSON.createObjectNode();
        ids.forEach(out.putArray("Bridges")::add);
        return out;
    }

    /** Accepts a function name or a Lambda function ARN (its last segment is the name). */
    static String functionName(String value) {
        if (value != null && value.startsWith(LAMBDA_ARN_PREFIX)) {
            return value.substring(value.lastIndexOf(':') + 1);
        }
        return value;
    }

    private static String text(ObjectNode root, String field) {
        return READER.text(root, field, field);
    }

    private static Integer integer(ObjectNode root, String field) {
        return READER.integer(root, field, field);
    }

    private static BridgeException bad(String message) {
        return new BridgeException(LambdaError.INVALID_REQUEST_CONTENT, message);
    }
}
