package dev.sluice.broker.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * What every answer to hostile input must be, whatever the input: no 5xx, nothing that names a Java type,
 * package, exception or Jackson token, and a well-formed body in the request's protocol (XML for SQS Query
 * and SNS, JSON for SQS JSON 1.0, REST {@code /v1} and the bridge's REST). Used by the hand-written and the
 * generated-input tests of every edge.
 */
public final class AnswerChecks {
    /** Packages, exception classes and parser internals that must never reach a client. */
    private static final Pattern INTERNALS = Pattern.compile(
            "\\b(?:java|javax|jdk|sun|dev\\.sluice|com\\.fasterxml|io\\.vertx|io\\.netty|org\\.apache|org\\.rocksdb)\\.[A-Za-z]"
                    + "|(?:NullPointer|IllegalArgument|IllegalState|ClassCast|NumberFormat|IndexOutOfBounds"
                    + "|ArrayIndexOutOfBounds|StringIndexOutOfBounds|UnsupportedOperation|Arithmetic|Completion"
                    + "|Execution|Json(?:Parse|Mapping|Processing)|MismatchedInput|InvalidFormat|Decode|Runtime)Exception"
                    + "|JsonToken|START_OBJECT|START_ARRAY|END_OBJECT|VALUE_STRING|VALUE_NUMBER|VALUE_NULL"
                    + "|\\bat [a-z]+\\.[a-z]+\\.[A-Za-z.$]+\\(");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The wire format an edge answers in. */
    public enum Wire { XML, JSON }

    private AnswerChecks() {
    }

    /** No 5xx, no internals, a body well-formed in {@code wire} (an empty body only for HEAD or 2xx/3xx without content). */
    public static void assertSafe(RawHttp.Answer answer, Wire wire, String request) {
        String context = request + " -> " + answer.status() + " " + answer.contentType() + " " + abbreviate(answer.text());
        assertTrue(answer.status() < 500, "5xx: " + context);
        Matcher internals = INTERNALS.matcher(answer.text() + "\n" + answer.headers());
        if (internals.find()) {
            fail("names an internal (" + internals.group() + "): " + context);
        }
        if (answer.body().length == 0) {
            return;
        }
        switch (wire) {
            case XML -> {
                assertTrue(answer.contentType().contains("xml"), "not XML: " + context);
                xml(answer.body(), context);
            }
            case JSON -> {
                assertTrue(answer.contentType().contains("json"), "not JSON: " + context);
                json(answer.body(), context);
            }
        }
    }

    /** {@link #assertSafe} plus: a 4xx whose error code is {@code code}. */
    public static void assertError(RawHttp.Answer answer, Wire wire, int status, String code, String request) {
        assertSafe(answer, wire, request);
        assertEquals(status, answer.status(), request + " -> " + answer.text());
        assertEquals(code, errorCode(answer, wire), request + " -> " + answer.text());
    }

    /**
     * The error code of an answer: {@code <Code>} in XML, {@code __type} after its {@code #} in SQS JSON 1.0,
     * {@code code} in REST JSON; null when there is none.
     */
    public static String errorCode(RawHttp.Answer answer, Wire wire) {
        if (answer.body().length == 0) {
            return null;
        }
        if (wire == Wire.XML) {
            NodeList codes = xml(answer.body(), answer.text()).getElementsByTagName("Code");
            return codes.getLength() == 0 ? null : codes.item(0).getTextContent();
        }
        JsonNode body = json(answer.body(), answer.text());
        if (body.hasNonNull("__type")) {
            String type = body.get("__type").asText();
            return type.substring(type.indexOf('#') + 1);
        }
        return body.hasNonNull("code") ? body.get("code").asText() : null;
    }

    private static Document xml(byte[] body, String context) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
        } catch (Exception e) {
            throw new AssertionError("malformed XML (" + e.getMessage() + "): " + context, e);
        }
    }

    private static JsonNode json(byte[] body, String context) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("malformed JSON (" + e.getMessage() + "): " + context, e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }
}
