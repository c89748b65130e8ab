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
        if (form != null && !form.isEmpty()) {
            for (String pair : form.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String key = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                values.putIfAbsent(key, value);
            }
        }
        return new QueryParameters(values);
    }

    /** These parameters plus {@code other}'s; on a clash {@code other} wins. */
    public QueryParameters with(QueryParameters other) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(other.values);
        return new QueryParameters(merged);
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
