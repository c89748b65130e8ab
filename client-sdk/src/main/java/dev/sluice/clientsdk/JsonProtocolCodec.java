package dev.sluice.clientsdk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one AWS JSON 1.0 codec of the SQS records, for both ends: the broker decodes requests and
 * encodes responses and errors; the HTTP client encodes requests and decodes responses and errors.
 * The records' Jackson annotations carry the member names; binary values are base64 strings.
 *
 * <p>Requests are decoded strictly, as AWS's JSON front end does: a body that is not valid UTF-8, not
 * well-formed JSON (duplicate members included), not an object, or that has a member of the wrong
 * JSON type ({@link JsonRequestShape}) fails with {@link SqsError#SERIALIZATION_EXCEPTION}, whose
 * message names the parameter and never a Java type or a parser internal. Unknown members are
 * ignored in both directions (so newer peers' extra fields do not break older ones). Thread-safe.
 */
public final class JsonProtocolCodec {

    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    /*
     * The mapper and every action's reader and shape are built once per JVM and shared by all codecs: resolving the
     * records' deserializers is Jackson's introspection of ~20 types, a third of a node's start-up work on its main
     * thread when each of the five codecs a server builds did it again (benchmarks/RESULTS.md, "Restart time").
     * All of them are immutable and thread-safe once built.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    /** Requests are parsed with duplicate members refused: which of two values would count is a guess. */
    private static final ObjectReader REQUEST_TREES = MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** Readers and shapes resolved once per action, so a request does not look them up. */
    private static final Map<SqsAction, ObjectReader> READERS = new EnumMap<>(SqsAction.class);
    private static final Map<SqsAction, JsonRequestShape> SHAPES = new EnumMap<>(SqsAction.class);

    static {
        for (SqsAction action : SqsAction.values()) {
            READERS.put(action, MAPPER.readerFor(action.requestType()));
            SHAPES.put(action, JsonRequestShape.of(action.requestType()));
        }
    }

    /**
     * Decodes the body of {@code action}; an empty body reads as {@code {}}. Fails with a
     * SerializationException for anything but a UTF-8 JSON object whose members have their types.
     */
    public Object decode(SqsAction action, byte[] body) {
        if (!StrictUtf8.isValid(body)) {
            throw SqsError.SERIALIZATION_EXCEPTION.exception("The request body is not valid UTF-8.");
        }
        JsonNode tree;
        try {
            tree = REQUEST_TREES.readTree(body.length == 0 ? EMPTY_OBJECT : body);
        } catch (StreamConstraintsException e) {
            throw SqsError.SERIALIZATION_EXCEPTION.exception("The request body exceeds a JSON limit (nesting depth,"
                    + " number length or string length).");
        } catch (IOException | RuntimeException e) {
            throw SqsError.SERIALIZATION_EXCEPTION.exception("The request body is not well-formed JSON"
                    + location(e) + ".");
        }
        SHAPES.get(action).check(tree == null ? MissingNode.getInstance() : tree, JsonRequestShape.Where.BODY);
        try {
            return READERS.get(action).readValue(tree);
        } catch (IOException | RuntimeException e) {
            // The shape check leaves nothing for binding to refuse; this is a guard, not a path.
            throw SqsError.SERIALIZATION_EXCEPTION.exception("The request body could not be deserialized.");
        }
    }

    private static String location(Exception e) {
        if (e instanceof JsonProcessingException json && json.getLocation() != null) {
            return " (line " + json.getLocation().getLineNr() + ", column " + json.getLocation().getColumnNr() + ")";
        }
        return "";
    }

    /** Decodes the response body of {@code action}; an empty body reads as {@code {}}. */
    public Object decodeResponse(SqsAction action, byte[] body) {
        try {
            return MAPPER.readValue(body.length == 0 ? "{}".getBytes() : body, action.responseType());
        } catch (IOException | RuntimeException e) {
            throw SqsError.SERIALIZATION_EXCEPTION.exception(describe(e));
        }
    }

    /**
     * Reads an error body's {@code __type} (with or without the {@code namespace#} prefix) and
     * message ({@code message} or {@code Message}); fields are null when absent or unreadable.
     */
    public ErrorBody decodeError(byte[] body) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = MAPPER.readTree(body);
            if (tree == null || !tree.isObject()) {
                return new ErrorBody(null, null);
            }
            String message = tree.hasNonNull("message") ? tree.get("message").asText()
                    : tree.hasNonNull("Message") ? tree.get("Message").asText() : null;
            return new ErrorBody(tree.hasNonNull("__type") ? tree.get("__type").asText() : null, message);
        } catch (IOException e) {
            return new ErrorBody(null, null);
        }
    }

    /** Encodes a request or response record. */
    public byte[] encode(Object response) {
        try {
            return MAPPER.writeValueAsBytes(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + response.getClass().getSimpleName(), e);
        }
    }

    /** An error body: {@code {"__type": ..., "message": ...}}. */
    public byte[] encodeError(SqsError error, String message) {
        return encode(new ErrorBody(error.jsonType(), message));
    }

    /** The parser's own message names Java types and tokens, so only the position is passed on. */
    private static String describe(Exception e) {
        return "Could not parse the response body" + location(e) + ".";
    }

    /** An AWS JSON error body; {@link #code()} is the part of {@code __type} after {@code #}. */
    public record ErrorBody(
            @com.fasterxml.jackson.annotation.JsonProperty("__type") String type,
            @com.fasterxml.jackson.annotation.JsonProperty("message") String message) {

        public String code() {
            return type == null ? null : type.substring(type.indexOf('#') + 1);
        }
    }
}
