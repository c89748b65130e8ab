package dev.sluice.clientsdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one AWS JSON 1.0 codec of the SQS records, for both ends: the broker decodes requests and
 * encodes responses and errors; the HTTP client encodes requests and decodes responses and errors.
 * The records' Jackson annotations carry the member names; binary values are base64 strings.
 * Malformed JSON, wrong member types and null collection members fail with
 * {@link SqsError#SERIALIZATION_EXCEPTION}; unknown members are ignored (so newer servers' extra
 * fields do not break old clients). Thread-safe.
 */
public final class JsonProtocolCodec {

    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    /** Readers resolved once per action, so a request does not look up its deserializer. */
    private final Map<SqsAction, ObjectReader> readers = new EnumMap<>(SqsAction.class);

    public JsonProtocolCodec() {
        for (SqsAction action : SqsAction.values()) {
            readers.put(action, mapper.readerFor(action.requestType()));
        }
    }

    /** Decodes the body of {@code action}; an empty body reads as {@code {}}. */
    public Object decode(SqsAction action, byte[] body) {
        try {
            return readers.get(action).readValue(body.length == 0 ? EMPTY_OBJECT : body);
        } catch (IOException | RuntimeException e) {
            throw SqsError.SERIALIZATION_EXCEPTION.exception(describe(e));
        }
    }

    /** Decodes the response body of {@code action}; an empty body reads as {@code {}}. */
    public Object decodeResponse(SqsAction action, byte[] body) {
        try {
            return mapper.readValue(body.length == 0 ? "{}".getBytes() : body, action.responseType());
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
            com.fasterxml.jackson.databind.JsonNode tree = mapper.readTree(body);
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
            return mapper.writeValueAsBytes(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + response.getClass().getSimpleName(), e);
        }
    }

    /** An error body: {@code {"__type": ..., "message": ...}}. */
    public byte[] encodeError(SqsError error, String message) {
        return encode(new ErrorBody(error.jsonType(), message));
    }

    private static String describe(Exception e) {
        if (e instanceof JsonProcessingException json) {
            return "Could not parse the request body: " + json.getOriginalMessage();
        }
        return "Could not parse the request body.";
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
