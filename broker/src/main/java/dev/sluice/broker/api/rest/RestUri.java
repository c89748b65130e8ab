package dev.sluice.broker.api.rest;

import dev.sluice.clientsdk.SqsError;
import dev.sluice.clientsdk.StrictUtf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one strict decoder of REST request URIs: path parameters and query parameters from the raw (still
 * percent-encoded) path and query. A {@code %} must start a two-digit hex escape, and the decoded bytes must be
 * valid UTF-8 (no overlong forms, no lone surrogates): nothing is replaced or guessed, since a replaced character
 * would silently name another queue. Dot segments are refused, so the path a route matched is the path decoded.
 * Failures are InvalidParameterValue naming the part. Stateless.
 */
public final class RestUri {
    private static final int MAX_ECHO = 64;

    private RestUri() {
    }

    /** Query parameters in order of appearance; {@code +} is a space, as in HTML forms. Empty for a null query. */
    public static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), true, "a query parameter name");
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), true, "the query parameter " + echo(name));
            query.computeIfAbsent(name, ignored -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /**
     * The values of {@code template}'s {@code {name}} segments in {@code rawPath} (the path below {@code /v1}).
     * InvalidParameterValue when a segment is malformed or the path does not have the template's shape (dot or
     * empty segments, which a router may have normalised away).
     */
    public static Map<String, String> pathParameters(String template, String rawPath) {
        String[] expected = template.split("/", -1);
        String[] actual = rawPath.split("/", -1);
        if (expected.length != actual.length) {
            throw notCanonical();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int index = 0; index < expected.length; index++) {
            String segment = decode(actual[index], false, "the request path");
            if (segment.equals(".") || segment.equals("..")) {
                throw notCanonical();
            }
            String name = expected[index];
            if (name.startsWith("{") && name.endsWith("}")) {
                parameters.put(name.substring(1, name.length() - 1), segment);
            } else if (!name.equals(segment)) {
                throw notCanonical();
            }
        }
        return parameters;
    }

    /** Checks that every segment of {@code rawPath} and every part of {@code rawQuery} decodes. */
    public static void validate(String rawPath, String rawQuery) {
        for (String segment : rawPath.split("/", -1)) {
            decode(segment, false, "the request path");
        }
        query(rawQuery);
    }

    /** Percent-decodes {@code raw} into strict UTF-8 text; {@code what} names the part in the error. */
    static String decode(String raw, boolean plusIsSpace, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int index = 0; index < raw.length(); index++) {
            char c = raw.charAt(index);
            if (c == '%') {
                int high = index + 2 < raw.length() ? Character.digit(raw.charAt(index + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(raw.charAt(index + 2), 16);
                if (low < 0) {
                    throw SqsError.INVALID_PARAMETER_VALUE.exception("The value of " + what
                            + " is not valid: every % must start an escape of two hexadecimal digits.");
                }
                bytes.write(high << 4 | low);
                index += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c <= 0xFF) {
                // The request line arrives as ISO-8859-1: a raw non-ASCII byte is that character.
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        String text = StrictUtf8.decodeOrNull(bytes.toByteArray());
        if (text == null) {
            throw SqsError.INVALID_PARAMETER_VALUE.exception("The value of " + what + " is not valid: its escapes "
                    + "must encode UTF-8 text.");
        }
        return text;
    }

    private static RuntimeException notCanonical() {
        return SqsError.INVALID_PARAMETER_VALUE.exception("The request path is not valid: it must not have empty, "
                + ". or .. segments.");
    }

    /** A decoded name as it may be echoed: printable, bounded. */
    private static String echo(String name) {
        String shown = name.length() > MAX_ECHO ? name.substring(0, MAX_ECHO) + "..." : name;
        return shown.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f) ? shown : "(with control characters)";
    }
}
