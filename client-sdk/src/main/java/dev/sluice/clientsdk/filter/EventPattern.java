package dev.sluice.clientsdk.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compiled content pattern of the family shared by SNS filter policies and EventBridge / Lambda filter
 * criteria, matched against a JSON event.
 *
 * <p>A pattern is an object whose fields are either nested patterns (objects) or lists of alternatives
 * (arrays): literals (string, number, boolean, null) and operator objects — {@code prefix},
 * {@code suffix} (both optionally {@code {"equals-ignore-case": ...}}), {@code equals-ignore-case},
 * {@code anything-but} (a literal, a list of literals, or a prefix / suffix / equals-ignore-case
 * object), {@code numeric} ({@code [op, n]} or {@code [lowerOp, n, upperOp, n]}), {@code exists},
 * {@code cidr}. A {@code "$or"} field holds alternative patterns. Every field must match (AND); one of a
 * field's alternatives must match (OR); an event array matches when one of its elements does. A field
 * absent from the event matches only {@code {"exists": false}}.
 *
 * <p>Service limits (number of keys, combinations, size, scope) are the callers' business: this class
 * reports {@link #keyCount()} and {@link #combinations()} for them. Immutable and thread-safe.
 */
public final class EventPattern {
    private static final String OR = "$or";
    private static final int MAX_SHOWN_KEY = 100;

    private final Map<String, FieldRule> fields;
    private final List<List<EventPattern>> alternatives;

    private EventPattern(Map<String, FieldRule> fields, List<List<EventPattern>> alternatives) {
        this.fields = fields;
        this.alternatives = alternatives;
    }

    /** Reads pattern text; a key given twice in one object is refused (which one counts would be a guess). */
    private static final ObjectMapper PATTERN_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

    /**
     * The JSON of a pattern's text, read strictly: malformed JSON and an object with a repeated key fail with
     * Jackson's exception (callers say "not JSON" in their own words, never its message).
     */
    public static JsonNode read(String pattern) throws JsonProcessingException {
        return PATTERN_JSON.readTree(pattern);
    }

    /** Compiles a pattern; throws {@link InvalidPatternException} naming the first problem. */
    public static EventPattern compile(JsonNode pattern) {
        return compile(pattern, "");
    }

    private static EventPattern compile(JsonNode pattern, String path) {
        if (pattern == null || !pattern.isObject()) {
            throw new InvalidPatternException("pattern" + where(path) + " must be a JSON object");
        }
        if (pattern.isEmpty()) {
            throw new InvalidPatternException("pattern" + where(path) + " must not be empty");
        }
        Map<String, FieldRule> fields = new TreeMap<>();
        List<List<EventPattern>> alternatives = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = pattern.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path.isEmpty() ? shown(field.getKey()) : path + "." + shown(field.getKey());
            if (OR.equals(field.getKey())) {
                alternatives.add(compileOr(field.getValue(), fieldPath));
            } else if (field.getValue().isObject()) {
                fields.put(field.getKey(), new FieldRule.Nested(compile(field.getValue(), fieldPath)));
            } else if (field.getValue().isArray()) {
                fields.put(field.getKey(), Conditions.compileLeaf(field.getValue(), fieldPath));
            } else {
                throw new InvalidPatternException("value of " + fieldPath + " must be an array or an object");
            }
        }
        return new EventPattern(fields, alternatives);
    }

    private static List<EventPattern> compileOr(JsonNode value, String path) {
        if (!value.isArray() || value.size() < 2) {
            throw new InvalidPatternException(path + " must be an array of at least two patterns");
        }
        List<EventPattern> patterns = new ArrayList<>();
        value.forEach(alternative -> patterns.add(compile(alternative, path)));
        return List.copyOf(patterns);
    }

    /** True when {@code event} (an object; anything else is treated as having no fields) matches. */
    public boolean matches(JsonNode event) {
        JsonNode object = event != null && event.isObject() ? event : MissingNode.getInstance();
        for (Map.Entry<String, FieldRule> field : fields.entrySet()) {
            JsonNode value = object.path(field.getKey());
            if (!field.getValue().matches(value)) {
                return false;
            }
        }
        for (List<EventPattern> anyOf : alternatives) {
            if (anyOf.stream().noneMatch(pattern -> pattern.matches(object))) {
                return false;
            }
        }
        return true;
    }

    /** The number of leaf fields (keys with a list of alternatives), nested and {@code $or} ones included. */
    public int keyCount() {
        int count = 0;
        for (FieldRule rule : fields.values()) {
            count += rule instanceof FieldRule.Nested nested ? nested.pattern().keyCount() : 1;
        }
        for (List<EventPattern> anyOf : alternatives) {
            for (EventPattern pattern : anyOf) {
                count += pattern.keyCount();
            }
        }
        return count;
    }

    /**
     * The number of value combinations: the product of the leaf lists' sizes, where each {@code $or}
     * contributes the sum of its alternatives' combinations. Saturates at {@link Long#MAX_VALUE}.
     */
    public long combinations() {
        long product = 1;
        for (FieldRule rule : fields.values()) {
            product = multiply(product, rule instanceof FieldRule.Nested nested ? nested.pattern().combinations()
                    : ((FieldRule.Leaf) rule).alternativeCount());
        }
        for (List<EventPattern> anyOf : alternatives) {
            long sum = 0;
            for (EventPattern pattern : anyOf) {
                sum = Math.min(Long.MAX_VALUE / 2, sum + pattern.combinations());
            }
            product = multiply(product, sum);
        }
        return product;
    }

    /** True when some field (not counting {@code $or}) is itself an object pattern. */
    public boolean hasNestedFields() {
        return fields.values().stream().anyMatch(rule -> rule instanceof FieldRule.Nested)
                || alternatives.stream().flatMap(List::stream).anyMatch(EventPattern::hasNestedFields);
    }

    private static long multiply(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    /**
     * A key as error messages name it: control characters, lone surrogates and non-characters become {@code ?}
     * and a long key is cut, since messages travel back to callers in XML and JSON answers.
     */
    static String shown(String key) {
        StringBuilder shown = new StringBuilder(Math.min(key.length(), MAX_SHOWN_KEY + 3));
        for (int i = 0; i < key.length() && i < MAX_SHOWN_KEY; i++) {
            char c = key.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1));
            if (pair) {
                shown.append(c).append(key.charAt(++i));
            } else {
                shown.append(c < 0x20 || c == 0x7F || Character.isSurrogate(c) || c >= 0xFFFE ? '?' : c);
            }
        }
        return key.length() > MAX_SHOWN_KEY ? shown.append("...").toString() : shown.toString();
    }

    private static String where(String path) {
        return path.isEmpty() ? "" : " at " + path;
    }

    /** What one field of a pattern requires. */
    sealed interface FieldRule {
        boolean matches(JsonNode value);

        record Nested(EventPattern pattern) implements FieldRule {
            @Override
            public boolean matches(JsonNode value) {
                if (value.isArray()) {
                    for (JsonNode element : value) {
                        if (pattern.matches(element)) {
                            return true;
                        }
                    }
                    return false;
                }
                return pattern.matches(value);
            }
        }

        /**
         * A list of {@code alternativeCount} alternatives: {@code exists} ones as the two flags, the others
         * as value conditions.
         */
        record Leaf(List<ValueCondition> values, boolean existsTrue, boolean existsFalse, int alternativeCount)
                implements FieldRule {
            @Override
            public boolean matches(JsonNode value) {
                if (value.isMissingNode()) {
                    return existsFalse;
                }
                if (existsTrue) {
                    return true;
                }
                if (value.isArray()) {
                    for (JsonNode element : value) {
                        if (acceptsScalar(element)) {
                            return true;
                        }
                    }
                    return false;
                }
                return acceptsScalar(value);
            }

            private boolean acceptsScalar(JsonNode value) {
                for (ValueCondition condition : values) {
                    if (condition.accepts(value)) {
                        return true;
                    }
                }
                return false;
            }
        }
    }
}
