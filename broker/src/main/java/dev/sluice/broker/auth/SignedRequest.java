package dev.sluice.broker.auth;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What the verifier reads of one HTTP request, without HTTP library types.
 *
 * @param method the HTTP method, upper case
 * @param rawPath the path as received, still percent-encoded
 * @param rawQuery the query string as received (without {@code ?}), or null
 * @param headers every value of a header by name, in any case; an empty list when absent
 * @param body the request body as received (empty for none)
 * @param headerNames the names of every header the request carries, lower case (to find unsigned ones)
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Function<String, List<String>> headers,
        byte[] body, Set<String> headerNames) {

    public SignedRequest {
        body = body == null ? new byte[0] : body;
        headerNames = Set.copyOf(headerNames);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.apply(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
