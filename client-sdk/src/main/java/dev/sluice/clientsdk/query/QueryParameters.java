package dev.sluice.clientsdk.query;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.StrictUtf8;
import dev.sluice.clientsdk.model.MessageAttributeValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

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
     * Parses the octets of an {@code application/x-www-form-urlencoded} body or query string as
     * {@link #parse(String)} does; octets that are not UTF-8 fail with
     * {@link SqsError#INVALID_PARAMETER_VALUE} rather than being replaced, which would change what the
     * caller sent (and signed).
     */
    public static QueryParameters parse(byte[] form) {
        return parse(strictUtf8(form, () -> "The request's parameters are not valid UTF-8."));
    }

    /**
     * Parses {@code application/x-www-form-urlencoded} text; the first of repeated keys wins. A
     * broken percent-encoding fails with {@link SqsError#MALFORMED_QUERY_STRING}; percent-escapes
     * that do not decode to UTF-8 fail with {@link SqsError#INVALID_PARAMETER_VALUE}.
     */
    public static QueryParameters parse(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        add(values, form, false);
        return new QueryParameters(values);
    }

    /**
     * The parameters of one Query request (SQS or SNS): its query string's and its body's, read as a form (either
     * may be null). {@code rawQuery} is the query string as the HTTP server hands it over, one char per octet
     * (ISO-8859-1), so raw non-ASCII octets are read back as the UTF-8 they should be; {@code body} is the body's
     * octets. Octets that are not UTF-8 fail with {@link SqsError#INVALID_PARAMETER_VALUE} rather than being
     * replaced. Each name may appear once, in one of the two: a name given twice would leave the choice of value
     * to the reader (a proxy, a signer and this service could each take another), so it fails with
     * {@link SqsError#INVALID_QUERY_PARAMETER}, as does a broken percent-encoding with
     * {@link SqsError#MALFORMED_QUERY_STRING}. Every Query decoder reads its parameters through this one rule.
     */
    public static QueryParameters ofRequest(String rawQuery, byte[] body) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery != null) {
            add(values, strictUtf8(rawQuery.getBytes(StandardCharsets.ISO_8859_1),
                    () -> "The query string is not valid UTF-8."), true);
        }
        if (body != null) {
            add(values, strictUtf8(body, () -> "The request's parameters are not valid UTF-8."), true);
        }
        return new QueryParameters(values);
    }

    /**
     * Adds the pairs of {@code form}; a repeated name keeps its first value, or fails when {@code once}. Every pair
     * is decoded before any name is compared, so a form that cannot be decoded is always refused as such, wherever
     * its broken escape is.
     */
    private static void add(Map<String, String> values, String form, boolean once) {
        if (form == null || form.isEmpty()) {
            return;
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals),
                    () -> "A parameter name is not valid UTF-8.");
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1),
                    () -> "The value of parameter " + printable(key) + " is not valid UTF-8.");
            pairs.add(Map.entry(key, value));
        }
        for (Map.Entry<String, String> pair : pairs) {
            if (values.putIfAbsent(pair.getKey(), pair.getValue()) != null && once) {
                throw SqsError.INVALID_QUERY_PARAMETER.exception("The parameter " + printable(pair.getKey())
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

    /**
     * Form decoding: {@code +} is a space, each run of {@code %XX} escapes is UTF-8 decoded strictly
     * (java.net.URLDecoder would replace bad sequences with U+FFFD), other characters pass as they are.
     */
    private static String decode(String text, Supplier<String> notUtf8) {
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        StringBuilder decoded = new StringBuilder(text.length());
        ByteArrayOutputStream escaped = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c == '%') {
                if (hex(text, i + 1) < 0 || hex(text, i + 2) < 0) {
                    throw SqsError.MALFORMED_QUERY_STRING.exception("The query string contains a broken percent-escape.");
                }
                escaped.write(hex(text, i + 1) << 4 | hex(text, i + 2));
                i += 3;
                continue;
            }
            if (escaped.size() > 0) {
                decoded.append(strictUtf8(escaped.toByteArray(), notUtf8));
                escaped.reset();
            }
            decoded.append(c == '+' ? ' ' : c);
            i++;
        }
        if (escaped.size() > 0) {
            decoded.append(strictUtf8(escaped.toByteArray(), notUtf8));
        }
        return decoded.toString();
    }

    /** The value of the ASCII hex digit at {@code index}, or -1 when there is none (Character.digit takes any script's). */
    private static int hex(String text, int index) {
        char c = index < text.length() ? text.charAt(index) : 0;
        return c < 128 ? Character.digit(c, 16) : -1;
    }

    private static String strictUtf8(byte[] bytes, Supplier<String> notUtf8) {
        String text = StrictUtf8.decodeOrNull(bytes);
        if (text == null) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception(notUtf8.get());
        }
        return text;
    }
}
