package dev.sluice.broker.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.broker.core.QueueSettings.RedriveAllowPolicy;
import dev.sluice.broker.core.QueueSettings.RedrivePermission;
import dev.sluice.broker.core.QueueSettings.RedrivePolicy;
import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.SqsException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON values of the RedrivePolicy, RedriveAllowPolicy and Policy attributes. Invalid JSON or
 * values fail with {@link SqsError#INVALID_ATTRIBUTE_VALUE}. Stateless and thread-safe.
 */
final class RedrivePolicyCodec {

    private static final Pattern QUEUE_ARN = Pattern.compile("arn:[a-z-]+:sqs:[a-z0-9-]*:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{1,80}(\\.fifo)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueAttributeBounds bounds;

    RedrivePolicyCodec(QueueAttributeBounds bounds) {
        this.bounds = bounds;
    }

    RedrivePolicy parseRedrivePolicy(String value) {
        JsonNode json = object("RedrivePolicy", value);
        JsonNode arn = json.get("deadLetterTargetArn");
        JsonNode count = json.get("maxReceiveCount");
        if (arn == null || !arn.isTextual() || !QUEUE_ARN.matcher(arn.asText()).matches()) {
            throw invalid("RedrivePolicy", "Dead letter target arn is invalid.");
        }
        int maxReceiveCount = count == null ? -1 : integer(count);
        if (maxReceiveCount < 1 || maxReceiveCount > bounds.maxReceiveCount()) {
            throw invalid("RedrivePolicy",
                    "Value for maxReceiveCount must be between 1 and " + bounds.maxReceiveCount() + ".");
        }
        return new RedrivePolicy(arn.asText(), maxReceiveCount);
    }

    RedriveAllowPolicy parseRedriveAllowPolicy(String value) {
        JsonNode json = object("RedriveAllowPolicy", value);
        JsonNode permissionNode = json.get("redrivePermission");
        RedrivePermission permission = permissionNode == null ? null
                : WireNamed.find(RedrivePermission.values(), permissionNode.asText());
        if (permission == null) {
            throw invalid("RedriveAllowPolicy", "redrivePermission must be allowAll, denyAll or byQueue.");
        }
        List<String> arns = new ArrayList<>();
        JsonNode arnsNode = json.get("sourceQueueArns");
        if (arnsNode != null) {
            if (!arnsNode.isArray()) {
                throw invalid("RedriveAllowPolicy", "sourceQueueArns must be an array.");
            }
            for (JsonNode arn : arnsNode) {
                if (!arn.isTextual() || !QUEUE_ARN.matcher(arn.asText()).matches()) {
                    throw invalidSourceArn();
                }
                arns.add(arn.asText());
            }
        }
        boolean byQueue = permission == RedrivePermission.BY_QUEUE;
        if (byQueue && (arns.isEmpty() || arns.size() > bounds.maxRedriveSourceQueueArns())) {
            throw invalid("RedriveAllowPolicy", "byQueue needs 1 to " + bounds.maxRedriveSourceQueueArns()
                    + " sourceQueueArns.");
        }
        if (!byQueue && !arns.isEmpty()) {
            throw invalid("RedriveAllowPolicy", "sourceQueueArns is allowed only with byQueue.");
        }
        return new RedriveAllowPolicy(permission, arns);
    }

    /** Checks that a Policy is a JSON object within the size bound; returns it unchanged. */
    String parsePolicy(String value) {
        if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > bounds.maxPolicyBytes()) {
            throw invalid("Policy", "Policy is longer than " + bounds.maxPolicyBytes() + " bytes.");
        }
        object("Policy", value);
        return value;
    }

    String render(RedrivePolicy policy) {
        ObjectNode json = JSON.createObjectNode();
        json.put("deadLetterTargetArn", policy.deadLetterTargetArn());
        json.put("maxReceiveCount", policy.maxReceiveCount());
        return json.toString();
    }

    String render(RedriveAllowPolicy policy) {
        ObjectNode json = JSON.createObjectNode();
        json.put("redrivePermission", policy.redrivePermission().wireName());
        if (!policy.sourceQueueArns().isEmpty()) {
            policy.sourceQueueArns().forEach(json.putArray("sourceQueueArns")::add);
        }
        return json.toString();
    }

    /** SQS accepts maxReceiveCount as a JSON number or a numeric string. */
    private static int integer(JsonNode node) {
        if (node.isInt()) {
            return node.intValue();
        }
        if (node.isTextual() && node.asText().matches("\\d{1,9}")) {
            return Integer.parseInt(node.asText());
        }
        return -1;
    }

    private static JsonNode object(String attribute, String value) {
        try {
            JsonNode json = JSON.readTree(value);
            if (json == null || !json.isObject()) {
                throw invalid(attribute, "Value must be a JSON object.");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw invalid(attribute, "Value is not valid JSON.");
        }
    }

    static SqsException invalidSourceArn() {
        return invalid("RedriveAllowPolicy", "sourceQueueArns holds an invalid queue arn.");
    }

    static SqsException invalid(String attribute, String reason) {
        return SqsError.INVALID_ATTRIBUTE_VALUE.exception(
                "Invalid value for the parameter " + attribute + ". Reason: " + reason);
    }
}
