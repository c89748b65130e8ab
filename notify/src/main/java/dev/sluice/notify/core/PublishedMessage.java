package dev.sluice.notify.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A published message as it waits in a topic's outbox queue: everything fanout needs to build each
 * subscription's copy, with the SNS message id and timestamp fixed at publish so that every copy and
 * every retry carries the same ones.
 *
 * @param messageStructure "json" when {@code message} holds per-protocol bodies, else null
 * @param onlySubscriptions when not null, the subscription ids still owed a copy (a partial fanout's
 *     remainder); null means every matching subscription
 * @param attempts how many fanouts of it were made before (0 at publish): every subscription a remainder names failed
 *     each of them, so this counts its delivery attempts exactly
 */
public record PublishedMessage(String messageId, String topicArn, String subject, String message,
        String messageStructure, Map<String, MessageAttributeValue> attributes, String timestamp, String groupId,
        String deduplicationId, List<String> onlySubscriptions, int attempts) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public PublishedMessage {
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        onlySubscriptions = onlySubscriptions == null ? null : List.copyOf(onlySubscriptions);
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative: " + attempts);
        }
    }

    /** A message as published: no fanout attempt made yet. */
    public PublishedMessage(String messageId, String topicArn, String subject, String message, String messageStructure,
            Map<String, MessageAttributeValue> attributes, String timestamp, String groupId, String deduplicationId,
            List<String> onlySubscriptions) {
        this(messageId, topicArn, subject, message, messageStructure, attributes, timestamp, groupId, deduplicationId,
                onlySubscriptions, 0);
    }

    /** The remainder after this fanout attempt failed for {@code subscriptionIds}: owed to them only, one attempt more. */
    public PublishedMessage retryFor(List<String> subscriptionIds) {
        return new PublishedMessage(messageId, topicArn, subject, message, messageStructure, attributes, timestamp,
                groupId, deduplicationId, subscriptionIds, attempts + 1);
    }

    /** This message owed to {@code subscriptionIds} only, its attempts unchanged (a held FIFO message's retry). */
    public PublishedMessage owedTo(List<String> subscriptionIds) {
        return new PublishedMessage(messageId, topicArn, subject, message, messageStructure, attributes, timestamp,
                groupId, deduplicationId, subscriptionIds, attempts);
    }

    /** This message after {@code previousAttempts} fanouts of it failed (a FIFO topic's count comes from its receives). */
    public PublishedMessage afterAttempts(int previousAttempts) {
        return new PublishedMessage(messageId, topicArn, subject, message, messageStructure, attributes, timestamp,
                groupId, deduplicationId, onlySubscriptions, previousAttempts);
    }

    /** The body for a protocol: with {@code MessageStructure=json}, its key or {@code default}; else the message. */
    public String messageFor(String protocol) {
        if (!"json".equals(messageStructure)) {
            return message;
        }
        JsonNode bodies = readStructure(message);
        JsonNode forProtocol = bodies.path(protocol);
        return forProtocol.isTextual() ? forProtocol.asText() : bodies.path("default").asText();
    }

    /** Checks a {@code MessageStructure=json} message: a JSON object with a string {@code default}. */
    public static void checkStructure(String message) {
        JsonNode bodies = readStructure(message);
        if (!bodies.path("default").isTextual()) {
            throw SnsError.invalidParameter("Message Structure - No default entry in JSON message body");
        }
        // JSON escapes (a backslash-u0000) decode to characters the per-protocol messages could not be delivered with.
        bodies.fields().forEachRemaining(body -> {
            if (body.getValue().isTextual() && !AttributeLimits.allowedCharacters(body.getValue().asText())) {
                throw SnsError.invalidParameter("Message Reason: the " + AttributeLimits.shown(body.getKey())
                        + " message contains characters outside the allowed set");
            }
        });
    }

    private static JsonNode readStructure(String message) {
        try {
            JsonNode tree = JSON.readTree(message);
            if (tree == null || !tree.isObject()) {
                throw SnsError.invalidParameter("Message Structure - JSON message body failed to parse");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw SnsError.invalidParameter("Message Structure - JSON message body failed to parse");
        }
    }

    /** The outbox body: JSON, so operators can read a stuck message. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode().put("v", 1).put("id", messageId).put("topic", topicArn)
                .put("subject", subject).put("message", message).put("structure", messageStructure)
                .put("timestamp", timestamp).put("group", groupId).put("dedup", deduplicationId);
        ObjectNode attributeNode = root.putObject("attributes");
        attributes.forEach((name, value) -> {
            ObjectNode entry = attributeNode.putObject(name).put("type", value.dataType());
            if (value.binaryValue() != null) {
                entry.put("binary", Base64.getEncoder().encodeToString(value.binaryValue()));
            } else {
                entry.put("string", value.stringValue());
            }
        });
        if (onlySubscriptions != null) {
            onlySubscriptions.forEach(root.putArray("only")::add);
        }
        if (attempts > 0) {
            root.put("attempts", attempts);
        }
        return root.toString();
    }

    public static PublishedMessage fromJson(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox message is not JSON", e);
        }
        if (root.path("v").asInt() != 1) {
            throw new IllegalArgumentException("unknown outbox message format " + root.path("v"));
        }
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("attributes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            attributes.put(entry.getKey(), value.has("binary")
                    ? MessageAttributeValue.ofBinary(value.path("type").asText(), Base64.getDecoder().decode(value.path("binary").asText()))
                    : MessageAttributeValue.ofString(value.path("type").asText(), value.path("string").asText()));
        }
        List<String> only = null;
        if (root.has("only")) {
            only = new ArrayList<>();
            for (JsonNode id : root.path("only")) {
                only.add(id.asText());
            }
        }
        return new PublishedMessage(root.path("id").asText(), root.path("topic").asText(), text(root, "subject"),
                root.path("message").asText(), text(root, "structure"), attributes, root.path("timestamp").asText(),
                text(root, "group"), text(root, "dedup"), only, Math.max(0, root.path("attempts").asInt()));
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.path(field);
        return node.isTextual() ? node.asText() : null;
    }
}
