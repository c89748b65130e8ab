package dev.sluice.notify.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.clientsdk.SnsError;
import dev.sluice.clientsdk.filter.EventPattern;
import dev.sluice.clientsdk.filter.InvalidPatternException;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * An SNS subscription filter policy: the shared {@link EventPattern} plus SNS's rules — scope
 * ({@code MessageAttributes}, the default, or {@code MessageBody}), at most 5 keys and 150 combinations,
 * 256 KB, numbers within ±10^9, no nesting in attribute scope. Immutable.
 */
public final class SnsFilterPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int MAX_KEYS = 5;
    public static final int MAX_COMBINATIONS = 150;
    public static final int MAX_BYTES = 256 * 1024;
    private static final BigDecimal MAX_NUMBER = BigDecimal.valueOf(1_000_000_000L);

    public enum Scope { MESSAGE_ATTRIBUTES, MESSAGE_BODY }

    private final EventPattern pattern;
    private final Scope scope;

    private SnsFilterPolicy(EventPattern pattern, Scope scope) {
        this.pattern = pattern;
        this.scope = scope;
    }

    /** The scope attribute's value; InvalidParameter for anything but the two SNS names. */
    public static Scope scope(String text) {
        if (text == null || text.isEmpty() || text.equals("MessageAttributes")) {
            return Scope.MESSAGE_ATTRIBUTES;
        }
        if (text.equals("MessageBody")) {
            return Scope.MESSAGE_BODY;
        }
        throw SnsError.invalidParameter("Attributes Reason: FilterPolicyScope: Invalid value [" + AttributeLimits.shown(text)
                + "]. Please use either MessageBody or MessageAttributes");
    }

    /** Compiles and checks a policy; InvalidParameter naming the problem. Empty text ({@code ""} or {@code {}}) means none: null. */
    public static SnsFilterPolicy parse(String policy, Scope scope) {
        if (policy == null || policy.isBlank()) {
            return null;
        }
        if (policy.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw invalid("Filter policy is too large");
        }
        JsonNode tree;
        try {
            tree = EventPattern.read(policy);
        } catch (JsonProcessingException e) {
            throw invalid("failed to parse JSON");
        }
        if (tree != null && tree.isObject() && tree.isEmpty()) {
            return null;
        }
        EventPattern pattern;
        try {
            pattern = EventPattern.compile(tree);
        } catch (InvalidPatternException e) {
            throw invalid(e.getMessage());
        }
        if (scope == Scope.MESSAGE_ATTRIBUTES && pattern.hasNestedFields()) {
            throw invalid("Filter policy scope MessageAttributes does not support nested filter policy");
        }
        if (pattern.keyCount() > MAX_KEYS) {
            throw invalid("Filter policy can not have more than " + MAX_KEYS + " keys");
        }
        if (pattern.combinations() > MAX_COMBINATIONS) {
            throw invalid("Filter policy is too complex");
        }
        checkNumbers(tree);
        return new SnsFilterPolicy(pattern, scope);
    }

    /** True when the message passes: its attributes, or its body parsed as JSON (a non-JSON body never matches). */
    public boolean matches(String body, Map<String, MessageAttributeValue> attributes) {
        if (scope == Scope.MESSAGE_BODY) {
            try {
                JsonNode tree = JSON.readTree(body);
                return tree != null && tree.isObject() && pattern.matches(tree);
            } catch (JsonProcessingException e) {
                return false;
            }
        }
        return pattern.matches(attributeTree(attributes));
    }

    /**
     * Message attributes as the tree SNS filters: String as text, Number as a number, String.Array as the
     * parsed array; Binary attributes are not compared.
     */
    static JsonNode attributeTree(Map<String, MessageAttributeValue> attributes) {
        ObjectNode tree = JSON.createObjectNode();
        attributes.forEach((name, value) -> {
            String type = value.dataType() == null ? "" : value.dataType();
            if (type.startsWith("String.Array")) {
                try {
                    tree.set(name, JSON.readTree(value.stringValue()));
                } catch (JsonProcessingException e) {
                    tree.put(name, value.stringValue());
                }
            } else if (type.startsWith("Number")) {
                try {
                    tree.put(name, new BigDecimal(value.stringValue().trim()));
                } catch (NumberFormatException e) {
                    tree.put(name, value.stringValue());
                }
            } else if (type.startsWith("String")) {
                tree.put(name, value.stringValue());
            }
        });
        return tree;
    }

    private static void checkNumbers(JsonNode node) {
        // A number beyond double range has no decimal value (Jackson reads 1e400 as infinity): out of range too.
        if (node.isNumber() && (!Double.isFinite(node.doubleValue()) || node.decimalValue().abs().compareTo(MAX_NUMBER) > 0)) {
            throw invalid("Numeric values must be within -1000000000 and 1000000000");
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            checkNumbers(it.next());
        }
    }

    private static RuntimeException invalid(String reason) {
        return SnsError.invalidParameter("FilterPolicy: " + reason);
    }
}
