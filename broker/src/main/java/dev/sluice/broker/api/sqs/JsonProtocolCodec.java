package dev.sluice.broker.api.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.clientsdk.SqsAction;
import dev.sluice.clientsdk.SqsError;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * AWS JSON 1.0 bodies to request records and response records to bodies. The records' Jackson
 * annotations carry the member names; binary values are base64 strings. Malformed JSON, wrong
 * member types and null collection members fail with {@link SqsError#SERIALIZATION_EXCEPTION};
 * unknown members are ignored. Thread-safe.
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

    private record ErrorBody(
            @com.fasterxml.jackson.annotation.JsonProperty("__type") String type,
            @com.fasterxml.jackson.annotation.JsonProperty("message") String message) {
    }
}
