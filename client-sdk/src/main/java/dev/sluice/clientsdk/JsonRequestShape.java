package dev.sluice.clientsdk;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape a request record expects, derived once from the record's components, and the strict
 * check of a parsed body against it. AWS's JSON front end refuses a member of the wrong JSON type
 * ({@code "DelaySeconds": "5"}, {@code "QueueName": 5}, {@code "DelaySeconds": 1.5}) with a
 * {@link SqsError#SERIALIZATION_EXCEPTION} rather than coercing it; this check does the same before
 * the body is bound, so binding never fails and never coerces, and the error names the parameter
 * (its path, e.g. {@code Entries[0].MessageAttributes.colour.DataType}) and the rule in plain words,
 * never a Java type. A member whose value is JSON {@code null} counts as absent; a null element of a
 * list or map is refused. Unknown members are ignored, as AWS ignores them. Immutable, thread-safe.
 */
sealed interface JsonRequestShape {

    /** Map keys and member names longer than this are cut in error messages, which stay bounded. */
    int MAX_NAME_IN_MESSAGE = 64;

    /** Throws a SerializationException naming {@code where} when {@code node} (never null) does not fit. */
    void check(JsonNode node, Where where);

    /**
     * Where a value sits in the request body ({@code Entries[0].MessageAttributes.colour}), written out only
     * for an error message: a valid body, the common case, builds no path strings.
     */
    record Where(Where parent, String member, int index) {
        /** The request body itself. */
        public static final Where BODY = new Where(null, null, -1);

        Where member(String name) {
            return new Where(this, name, -1);
        }

        Where element(int position) {
            return new Where(this, null, position);
        }

        boolean isBody() {
            return parent == null;
        }

        @Override
        public String toString() {
            if (parent == null) {
                return "";
            }
            String prefix = parent.toString();
            if (member == null) {
                return prefix + "[" + index + "]";
            }
            return prefix.isEmpty() ? member : prefix + "." + member;
        }
    }

    /** The shape of a request record type (records of String, Integer, byte[], List, Map and records). */
    static JsonRequestShape of(Type type) {
        if (type == String.class) {
            return new Text();
        }
        if (type == Integer.class) {
            return new Int32();
        }
        if (type == byte[].class) {
            return new Blob();
        }
        if (type instanceof ParameterizedType generic && generic.getRawType() == List.class) {
            return new ListOf(of(generic.getActualTypeArguments()[0]));
        }
        if (type instanceof ParameterizedType generic && generic.getRawType() == Map.class
                && generic.getActualTypeArguments()[0] == String.class) {
            return new MapOf(of(generic.getActualTypeArguments()[1]));
        }
        if (type instanceof Class<?> record && record.isRecord()) {
            Map<String, JsonRequestShape> members = new LinkedHashMap<>();
            for (RecordComponent component : record.getRecordComponents()) {
                // An in-process component (a bill the server sets) is no member of the wire shape.
                if (!ignored(record, component)) {
                    members.put(memberName(record, component), of(component.getGenericType()));
                }
            }
            // A LinkedHashMap under the read-only view: a check walks it with forEach, allocating nothing.
            return new Structure(Collections.unmodifiableMap(members));
        }
        throw new IllegalArgumentException("no JSON shape for " + type);
    }

    /**
     * The member name Jackson binds: the component's {@code @JsonProperty}, read off the record's field,
     * which always carries it (an accessor written by hand, as for byte arrays, does not).
     */
    private static String memberName(Class<?> record, RecordComponent component) {
        try {
            JsonProperty name = record.getDeclaredField(component.getName()).getAnnotation(JsonProperty.class);
            return name == null ? component.getName() : name.value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("a record component without its field: " + component, e);
        }
    }

    private static boolean ignored(Class<?> record, RecordComponent component) {
        try {
            return record.getDeclaredField(component.getName())
                    .isAnnotationPresent(com.fasterxml.jackson.annotation.JsonIgnore.class);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("a record component without its field: " + component, e);
        }
    }

    /** A string member. */
    record Text() implements JsonRequestShape {
        @Override
        public void check(JsonNode node, Where path) {
            if (!node.isTextual()) {
                throw wrongType(path, "a string", node);
            }
        }
    }

    /** An Integer member: a JSON integer within 32 bits; not a decimal, not a string of digits. */
    record Int32() implements JsonRequestShape {
        @Override
        public void check(JsonNode node, Where path) {
            if (!node.isIntegralNumber()) {
                throw wrongType(path, "an integer", node);
            }
            if (!node.canConvertToInt()) {
                throw invalid(path, "must be an integer between " + Integer.MIN_VALUE + " and "
                        + Integer.MAX_VALUE + ".");
            }
        }
    }

    /** A binary member: a base64 string, checked with the variant the binding decodes with. */
    record Blob() implements JsonRequestShape {
        @Override
        public void check(JsonNode node, Where path) {
            if (!node.isTextual()) {
                throw wrongType(path, "a base64-encoded string", node);
            }
            try {
                Base64Variants.getDefaultVariant().decode(node.textValue());
            } catch (IllegalArgumentException e) {
                throw invalid(path, "must be base64-encoded.");
            }
        }
    }

    record ListOf(JsonRequestShape element) implements JsonRequestShape {
        @Override
        public void check(JsonNode node, Where path) {
            if (!node.isArray()) {
                throw wrongType(path, "a list", node);
            }
            for (int index = 0; index < node.size(); index++) {
                checkElement(element, node.get(index), path.element(index));
            }
        }
    }

    record MapOf(JsonRequestShape value) implements JsonRequestShape {
        @Override
        public void check(JsonNode node, Where path) {
            if (!node.isObject()) {
                throw wrongType(path, "a map", node);
            }
            for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = entries.next();
                checkElement(value, entry.getValue(), path.member(shortened(entry.getKey())));
            }
        }
    }

    /** A request or nested structure; an empty path is the request body itself. */
    record Structure(Map<String, JsonRequestShape> members) implements JsonRequestShape {
        @Override
        public void check(JsonNode node, Where path) {
            if (!node.isObject()) {
                if (path.isBody()) {
                    throw SqsError.SERIALIZATION_EXCEPTION.exception("The request body must be a JSON object, not "
                            + kind(node) + ".");
                }
                throw wrongType(path, "a structure (a JSON object)", node);
            }
            members.forEach((name, shape) -> {
                JsonNode member = node.get(name);
                if (member != null && !member.isNull()) {
                    shape.check(member, path.member(name));
                }
            });
        }
    }

    private static void checkElement(JsonRequestShape shape, JsonNode element, Where path) {
        if (element.isNull()) {
            throw invalid(path, "must not be null.");
        }
        shape.check(element, path);
    }

    private static SqsException wrongType(Where path, String expected, JsonNode node) {
        return invalid(path, "must be " + expected + ", not " + kind(node) + ".");
    }

    private static SqsException invalid(Where path, String reason) {
        return SqsError.SERIALIZATION_EXCEPTION.exception("Value for parameter " + path + " is invalid. Reason: "
                + reason);
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "a JSON object";
            case NULL -> "null";
            default -> "a value of another kind";
        };
    }

    private static String shortened(String name) {
        return name.length() <= MAX_NAME_IN_MESSAGE ? name : name.substring(0, MAX_NAME_IN_MESSAGE) + "...";
    }
}
