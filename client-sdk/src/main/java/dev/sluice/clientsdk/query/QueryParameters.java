package dev.sluice.clientsdk.query;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The flat parameters of a Query request ({@code MessageAttribute.1.Value.StringValue=...}) with
 * readers for the Query protocol's list and map conventions (SQS and SNS). Immutable. Malformed input
 * fails with SQS's error codes; other services map them to their own.
 */
public final class QueryParameters {

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code application/x-www-form-urlencoded} text; the first of repeated keys wins. A
     * broken percent-encoding fails with {@link SqsError#MALFORMED_QUERY_STRING}.
     */
    public static QueryParameters parse(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        add(values, form, false);
        return new QueryParameters(values);
    }

    /**
     * The parameters of one Query request (SQS or SNS): its query string's and its body's, read as a form (either may be
     * null). Each name may appear once, in one of the two: a name given twice would leave the choice of value
     * to the reader (a proxy, a signer and this service could each take another), so it fails with
     * {@link SqsError#INVALID_QUERY_PARAMETER}, as does a broken percent-encoding with
     * {@link SqsError#MALFORMED_QUERY_STRING}. Every Query decoder reads its parameters through this one rule.
     */
    public static QueryParameters ofRequest(String rawQuery, String form) {
        Map<String, String> values = new LinkedHashMap<>();
        add(values, rawQuery, true);
        add(values, form, true);
        return new QueryParameters(values);
    }

    /** Adds the pairs of {@code form}; a repeated name keeps its first value, or fails when {@code once}. */
    private static void add(Map<String, String> values, String form, boolean once) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (values.putIfAbsent(key, value) != null && once) {
                throw SqsError.INVALID_QUERY_PARAMETER.exception("The parameter " + printable(key)
                        + " appears more than once: send each parameter once, in the query string or in the body.");
            }
        }
    }

    /** A parameter name fit to quote in an error message, else a placeholder (never echo control characters). */
    private static String printable(String name) {
        return name.matches("[A-Za-z0-9._-]{1,128}") ? name : "(name not shown)";
    }

    public String string(String key) {
        return values.get(key);
    }

    /** An integer parameter, or null when absent; a non-integer is InvalidParameterValue. */
    public Integer integer(String key) {
        String value = values.get(key);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("Value " + value + " for parameter " + key
                    + " is invalid. Reason: Must be an integer.");
        }
    }

    /** {@code prefix.1, prefix.2, ...} in index order, plus a bare {@code prefix} some old clients send. */
    public List<String> list(String prefix) {
        List<String> list = new ArrayList<>();
        if (values.containsKey(prefix)) {
            list.add(values.get(prefix));
        }
        for (int index : indices(prefix)) {
            String value = values.get(prefix + "." + index);
            if (value != null) {
                list.add(value);
            }
        }
        return list;
    }

    /**
     * {@code prefix.N.<keyName>} to {@code prefix.N.<valueName>}, e.g. Attribute.N.Name/Value, plus a
     * bare {@code prefix.<keyName>} pair, as the API reference's own Query examples send one entry.
     */
    public Map<String, String> map(String prefix, String keyName, String valueName) {
        Map<String, String> map = new LinkedHashMap<>();
        String bareKey = values.get(prefix + "." + keyName);
        if (bareKey != null) {
            String bareValue = values.get(prefix + "." + valueName);
            map.put(bareKey, bareValue == null ? "" : bareValue);
        }
        for (QueryParameters entry : entries(prefix)) {
            String key = entry.string(keyName);
            if (key != null) {
                map.put(key, entry.string(valueName) == null ? "" : entry.string(valueName));
            }
        }
        return map;
    }

    /** {@code prefix.N.Name} with {@code prefix.N.Value.DataType/StringValue/BinaryValue} (base64). */
    public Map<String, MessageAttributeValue> messageAttributes(String prefix) {
        Map<String, MessageAttributeValue> map = new LinkedHashMap<>();
        for (QueryParameters entry : entries(prefix)) {
            String name = entry.string("Name");
            if (name != null) {
                String binary = entry.string("Value.BinaryValue");
                map.put(name, new MessageAttributeValue(entry.string("Value.DataType"),
                        entry.string("Value.StringValue"), binary == null ? null : base64(name, binary)));
            }
        }
        return map;
    }

    /** The sub-parameters of each {@code prefix.N.}, in index order, with that prefix removed. */
    public List<QueryParameters> entries(String prefix) {
        List<QueryParameters> entries = new ArrayList<>();
        for (int index : indices(prefix)) {
            String entryPrefix = prefix + "." + index + ".";
            Map<String, String> entry = new LinkedHashMap<>();
            values.forEach((key, value) -> {
                if (key.startsWith(entryPrefix)) {
                    entry.put(key.substring(entryPrefix.length()), value);
                }
            });
            if (!entry.isEmpty()) {
                entries.add(new QueryParameters(entry));
            }
        }
        return entries;
    }

    public <T> List<T> entries(String prefix, Function<QueryParameters, T> decoder) {
        return entries(prefix).stream().map(decoder).toList();
    }

    private TreeSet<Integer> indices(String prefix) {
        TreeSet<Integer> indices = new TreeSet<>();
        String start = prefix + ".";
        for (String key : values.keySet()) {
            if (key.startsWith(start)) {
                String rest = key.substring(start.length());
                int dot = rest.indexOf('.');
                String number = dot < 0 ? rest : rest.substring(0, dot);
                if (!number.isEmpty() && number.length() < 6 && number.chars().allMatch(Character::isDigit)) {
                    indices.add(Integer.parseInt(number));
                }
            }
        }
        return indices;
    }

    private static byte[] base64(String name, String value) {
        try {
            return Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The BinaryValue of message attribute " + name
                    + " is not valid base64.");
        }
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SqsError.MALFORMED_QUERY_STRING.exception("The query string contains a syntax error: " + text);
        }
    }
}
