package dev.sluice.broker.api.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;

/**
 * One REST answer: status, content type, extra headers and the body bytes (sent as they are).
 *
 * @param contentType null for a body-less answer
 */
public record RestResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    public RestResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** {@code value} as JSON (records, maps, lists; null members left out). */
    public static RestResponse json(int status, Object value) {
        try {
            return new RestResponse(status, "application/json", Map.of(), JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /** The same answer with another status. */
    public RestResponse withStatus(int newStatus) {
        return new RestResponse(newStatus, contentType, headers, body);
    }

    /** 204 No Content. */
    public static RestResponse noContent() {
        return new RestResponse(204, null, Map.of(), new byte[0]);
    }

    /** The JSON mapper REST uses for bodies it reads and writes. */
    static ObjectMapper mapper() {
        return JSON;
    }
}
