package dev.sluice.clientsdk.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.clientsdk.StrictUtf8;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The one strict reader of JSON request bodies at the REST edges (REST {@code /v1}, the bridge's REST): a body is
 * valid UTF-8, one JSON object of known fields, with members of the declared JSON type. Nothing is coerced ({@code 5}
 * is not a string, {@code 1.5} or {@code 1e400} not an integer), a {@code null} inside a list or map is refused, a
 * top-level {@code null} member counts as absent, and no string may hold NUL. Every refusal names the field and the
 * rule in words a client can act on, never a parser's message or a Java type; the caller's catalogue turns it into
 * its error ({@code errors}). Stateless and thread-safe.
 */
public final class JsonBodyReader {
    /** Deeper than any body of ours needs; bounds the parser's work on hostile input. */
    private static final int MAX_NESTING = 32;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                .maxNumberLength(100).build());
    }

    private final Function<String, RuntimeException> errors;

    /** @param errors the caller's error for a refused body, from a message that names the field and the rule */
    public JsonBodyReader(Function<String, RuntimeException> errors) {
        this.errors = errors;
    }

    /** The body's top-level object (an empty one for an empty body), after checking it holds only {@code allowed} fields. */
    public ObjectNode object(byte[] body, Set<String> allowed) {
        if (body == null || body.length == 0) {
            return JSON.createObjectNode();
        }
        if (!StrictUtf8.isValid(body)) {
            throw errors.apply("The request body is not valid UTF-8.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw errors.apply("The request body is not valid JSON" + where(e.getLocation())
                    + " (at most " + MAX_NESTING + " levels of nesting, numbers of at most 100 digits, no repeated field).");
        } catch (IOException e) {
            throw errors.apply("The request body is not valid JSON.");
        }
        if (root == null || root.isMissingNode()) {
            return JSON.createObjectNode();
        }
        if (!root.isObject()) {
            throw errors.apply("The request body must be a JSON object.");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw errors.apply("Unknown field " + printable(name) + "; the accepted fields are " + new TreeSet<>(allowed) + ".");
            }
        }
        return (ObjectNode) root;
    }

    /** A string member, or null when absent or null. */
    public String text(JsonNode parent, String field, String path) {
        JsonNode value = member(parent, field);
        return value == null ? null : text(value, path);
    }

    /** An integer member in int range, or null when absent or null. */
    public Integer integer(JsonNode parent, String field, String path) {
        JsonNode value = member(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw errors.apply(path + " must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + ".");
        }
        return value.intValue();
    }

    /** A true/false member, or null when absent or null. */
    public Boolean bool(JsonNode parent, String field, String path) {
        JsonNode value = member(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw errors.apply(path + " must be true or false.");
        }
        return value.booleanValue();
    }

    /** An object member, or null when absent or null. */
    public JsonNode object(JsonNode parent, String field, String path) {
        JsonNode value = member(parent, field);
        if (value != null && !value.isObject()) {
            throw errors.apply(path + " must be a JSON object.");
        }
        return value;
    }

    /** A list of strings (no nulls), or null when absent or null. */
    public List<String> strings(JsonNode parent, String field, String path) {
        JsonNode value = member(parent, field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw errors.apply(path + " must be a list of strings.");
        }
        List<String> out = new ArrayList<>();
        for (int index = 0; index < value.size(); index++) {
            out.add(text(value.get(index), path + "[" + index + "]"));
        }
        return out;
    }

    /** An object of string values (no nulls), in order, or null when absent or null. */
    public Map<String, String> stringMap(JsonNode parent, String field, String path) {
        JsonNode value = object(parent, field, path);
        if (value == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        value.fields().forEachRemaining(entry -> out.put(checked(entry.getKey(), path + " key"),
                text(entry.getValue(), path + "." + printable(entry.getKey()))));
        return out;
    }

    private static JsonNode member(JsonNode parent, String field) {
        JsonNode value = parent == null ? null : parent.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private String text(JsonNode value, String path) {
        if (value == null || !value.isTextual()) {
            throw errors.apply(path + " must be a string.");
        }
        return checked(value.textValue(), path);
    }

    private String checked(String text, String path) {
        if (text.indexOf('\0') >= 0) {
            throw errors.apply(path + " must not contain the character U+0000.");
        }
        return text;
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** A field name as it may be echoed: control characters escaped, bounded in length. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(64).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return name.codePointCount(0, name.length()) > 64 ? out + "..." : out.toString();
    }
}
